using System.Text.RegularExpressions;

namespace AiGateway.Core.Pii.Detection;

/// <summary>
/// The built-in candidate patterns and the rule that turns a candidate into a finding. These define what
/// is found; <see cref="CandidateScanner"/> decides only where they need to run.
/// </summary>
internal static partial class PiiPatterns
{
    /// <summary>Every pattern, in <see cref="PiiPattern"/> order.</summary>
    public static ReadOnlySpan<PiiPattern> All =>
    [
        PiiPattern.Email, PiiPattern.Nanp, PiiPattern.E164, PiiPattern.JapanesePhone, PiiPattern.Ssn, PiiPattern.Card,
        PiiPattern.Ipv4, PiiPattern.Ipv6, PiiPattern.Iban, PiiPattern.MyNumber,
    ];

    /// <summary>The type a pattern finds.</summary>
    public static PiiType TypeOf(PiiPattern pattern) => pattern switch
    {
        PiiPattern.Email => PiiType.Email,
        PiiPattern.Nanp or PiiPattern.E164 or PiiPattern.JapanesePhone => PiiType.Phone,
        PiiPattern.Ssn => PiiType.Ssn,
        PiiPattern.Card => PiiType.CreditCard,
        PiiPattern.Ipv4 or PiiPattern.Ipv6 => PiiType.IpAddress,
        PiiPattern.Iban => PiiType.Iban,
        _ => PiiType.MyNumber,
    };

    /// <summary>The candidate regex of a pattern.</summary>
    public static Regex RegexOf(PiiPattern pattern) => pattern switch
    {
        PiiPattern.Email => Email(),
        PiiPattern.Nanp => Nanp(),
        PiiPattern.E164 => E164(),
        PiiPattern.JapanesePhone => JapanesePhone(),
        PiiPattern.Ssn => Ssn(),
        PiiPattern.Card => Card(),
        PiiPattern.Ipv4 => Ipv4(),
        PiiPattern.Ipv6 => Ipv6(),
        PiiPattern.Iban => Iban(),
        _ => MyNumber(),
    };

    /// <summary>Whether a candidate (a regex match) is a finding.</summary>
    public static bool Accepts(PiiPattern pattern, ReadOnlySpan<char> candidate) => pattern switch
    {
        PiiPattern.E164 => DigitCount(candidate) is >= 8 and <= 15,
        PiiPattern.JapanesePhone => DigitCount(candidate) is 10 or 11,
        PiiPattern.Ssn => CheckDigits(candidate, 9, PiiChecks.IsSsn),
        PiiPattern.Card => CheckDigits(candidate, 19, PiiChecks.IsCardNumber),
        PiiPattern.Ipv6 => PiiChecks.IsIpv6(candidate),
        PiiPattern.Iban => PiiChecks.IsIban(candidate),
        PiiPattern.MyNumber => CheckDigits(candidate, 12, PiiChecks.IsMyNumber),
        _ => true,
    };

    private static int DigitCount(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (PiiChecks.DigitValue(c) >= 0)
            {
                count++;
            }
        }

        return count;
    }

    private static bool CheckDigits(ReadOnlySpan<char> text, int max, Func<ReadOnlySpan<byte>, bool> check)
    {
        Span<byte> digits = stackalloc byte[max];
        var count = PiiChecks.Digits(text, digits);
        return count > 0 && check(digits[..count]);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // NANP with separators or parentheses (bare 10-digit runs are too often order or account numbers).
    [GeneratedRegex(@"(?<![0-9A-Za-z+])(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Nanp();

    [GeneratedRegex(@"(?<![0-9A-Za-z])\+[1-9](?:[ -]?[0-9]){7,14}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    // Japanese numbers: a leading 0, groups joined by hyphens (half- or full-width) or a bracketed area code.
    [GeneratedRegex(@"(?<![0-9０-９])[0０][0-9０-９]{1,4}(?:[-‐－−ー]|[(（])[0-9０-９]{1,4}(?:[-‐－−ー]|[)）])[0-9０-９]{3,4}(?![0-9０-９])", RegexOptions.CultureInvariant)]
    private static partial Regex JapanesePhone();

    [GeneratedRegex(@"(?<![0-9-])[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}(?![0-9-])", RegexOptions.CultureInvariant)]
    private static partial Regex Ssn();

    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Card();

    [GeneratedRegex(@"(?<![0-9.])(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:|::?)(?:[0-9A-Fa-f]{0,4}:){1,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<![0-9０-９][ \-－]?)[0-9０-９]{4}[ \-－]?[0-9０-９]{4}[ \-－]?[0-9０-９]{4}(?![ \-－]?[0-9０-９])", RegexOptions.CultureInvariant)]
    private static partial Regex MyNumber();
}
