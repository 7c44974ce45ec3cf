using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace AiGateway.Core.Pii;

/// <summary>
/// Finds personal data in text: built-in detectors (a candidate pattern, then a checksum or number rule)
/// and user patterns. Overlapping findings keep the earliest, then the longest. Thread-safe; build once.
/// </summary>
public sealed partial class PiiDetector
{
    private readonly ImmutableArray<PiiType> _builtIn;
    private readonly ImmutableArray<(Regex Pattern, string Label)> _custom;

    /// <summary>Creates a detector for the given built-in types and user patterns.</summary>
    public PiiDetector(IEnumerable<PiiType> builtIn, IEnumerable<(Regex Pattern, string Label)>? custom = null)
    {
        _builtIn = [.. builtIn.Distinct()];
        _custom = [.. custom ?? []];
    }

    /// <summary>Every built-in type.</summary>
    public static ImmutableArray<PiiType> AllBuiltIn { get; } =
        [PiiType.Email, PiiType.Phone, PiiType.Ssn, PiiType.CreditCard, PiiType.IpAddress, PiiType.Iban, PiiType.MyNumber];

    /// <summary>The canonical label of a built-in type (the YAML name).</summary>
    public static string LabelOf(PiiType type) => type switch
    {
        PiiType.Email => "email",
        PiiType.Phone => "phone",
        PiiType.Ssn => "ssn",
        PiiType.CreditCard => "credit_card",
        PiiType.IpAddress => "ip_address",
        PiiType.Iban => "iban",
        PiiType.MyNumber => "my_number",
        _ => "custom",
    };

    /// <summary>Finds every entity in <paramref name="text"/>, ordered, without overlaps.</summary>
    public List<PiiMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PiiMatch>();
        if (text.Length == 0)
        {
            return found;
        }

        foreach (var type in _builtIn)
        {
            switch (type)
            {
                case PiiType.Email:
                    Add(found, text, EmailPattern(), type, static _ => true);
                    break;
                case PiiType.Phone:
                    Add(found, text, NanpPattern(), type, static _ => true);
                    Add(found, text, E164Pattern(), type, static m => DigitCount(m) is >= 8 and <= 15);
                    Add(found, text, JapanesePhonePattern(), type, static m => DigitCount(m) is 10 or 11);
                    break;
                case PiiType.Ssn:
                    Add(found, text, SsnPattern(), type, static m => CheckDigits(m, 9, PiiChecks.IsSsn));
                    break;
                case PiiType.CreditCard:
                    Add(found, text, CardPattern(), type, static m => CheckDigits(m, 19, PiiChecks.IsCardNumber));
                    break;
                case PiiType.IpAddress:
                    Add(found, text, Ipv4Pattern(), type, static _ => true);
                    Add(found, text, Ipv6Pattern(), type, static m => PiiChecks.IsIpv6(m));
                    break;
                case PiiType.Iban:
                    Add(found, text, IbanPattern(), type, static m => PiiChecks.IsIban(m));
                    break;
                case PiiType.MyNumber:
                    Add(found, text, MyNumberPattern(), type, static m => CheckDigits(m, 12, PiiChecks.IsMyNumber));
                    break;
            }
        }

        foreach (var (pattern, label) in _custom)
        {
            foreach (var m in pattern.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    found.Add(new PiiMatch(m.Index, m.Length, PiiType.Custom, label));
                }
            }
        }

        return RemoveOverlaps(found);
    }

    private static void Add(List<PiiMatch> found, string text, Regex pattern, PiiType type, Func<ReadOnlySpan<char>, bool> accept)
    {
        foreach (var m in pattern.EnumerateMatches(text))
        {
            if (accept(text.AsSpan(m.Index, m.Length)))
            {
                found.Add(new PiiMatch(m.Index, m.Length, type, LabelOf(type)));
            }
        }
    }

    private static List<PiiMatch> RemoveOverlaps(List<PiiMatch> found)
    {
        if (found.Count < 2)
        {
            return found;
        }

        found.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<PiiMatch>(found.Count);
        var end = -1;
        foreach (var m in found)
        {
            if (m.Start >= end)
            {
                kept.Add(m);
                end = m.Start + m.Length;
            }
        }

        return kept;
    }

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
    private static partial Regex EmailPattern();

    // NANP with separators or parentheses (bare 10-digit runs are too often order or account numbers).
    [GeneratedRegex(@"(?<![0-9A-Za-z+])(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NanpPattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z])\+[1-9](?:[ -]?[0-9]){7,14}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex E164Pattern();

    // Japanese numbers: a leading 0, groups joined by hyphens (half- or full-width) or a bracketed area code.
    [GeneratedRegex(@"(?<![0-9０-９])[0０][0-9０-９]{1,4}(?:[-‐－−ー]|[(（])[0-9０-９]{1,4}(?:[-‐－−ー]|[)）])[0-9０-９]{3,4}(?![0-9０-９])", RegexOptions.CultureInvariant)]
    private static partial Regex JapanesePhonePattern();

    [GeneratedRegex(@"(?<![0-9-])[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}(?![0-9-])", RegexOptions.CultureInvariant)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<![0-9.])(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:|::?)(?:[0-9A-Fa-f]{0,4}:){1,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Pattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![0-9０-９][ \-－]?)[0-9０-９]{4}[ \-－]?[0-9０-９]{4}[ \-－]?[0-9０-９]{4}(?![ \-－]?[0-9０-９])", RegexOptions.CultureInvariant)]
    private static partial Regex MyNumberPattern();
}
