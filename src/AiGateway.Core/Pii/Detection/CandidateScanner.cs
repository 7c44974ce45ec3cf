namespace AiGateway.Core.Pii.Detection;

/// <summary>
/// Runs the built-in patterns only where they can match, with the same results as running each pattern
/// over the whole text.
/// </summary>
/// <remarks>
/// <para>
/// Every character a pattern can consume belongs to a small alphabet, so each of its matches lies inside
/// one maximal run of that alphabet, and a scan of the whole text finds, run after run, exactly what a scan
/// started at each run's first character finds inside the run. The lookarounds only test characters of the
/// alphabet, so the character that ends a run answers them as the end of the input would: the pattern can
/// run over <c>text[..runEnd]</c> from the run's start, and the lookbehinds still see the real text before.
/// </para>
/// <para>
/// Three vectorised searches find the runs: digits (ASCII and full-width) for the numeric patterns,
/// <c>@</c> for e-mail and <c>:</c> for IPv6. A run is only handed to a pattern when it holds what every
/// finding of that pattern needs (enough digits, a <c>+</c>, three dots, two colons...), so ordinary numbers
/// in prose (dates, amounts, versions) cost a few comparisons. IBANs begin with two capital letters, which
/// are not in the digit alphabet; they are tried at each digit run that starts right after two capitals,
/// matching at that position only, in order, after the end of the previous IBAN match, as a whole-text
/// scan does. No allocation unless something is found.
/// </para>
/// </remarks>
internal static class CandidateScanner
{
    // The longest IBAN candidate (2 + 2 + 7 × 5 + 4 characters) and the character its lookahead reads.
    private const int IbanWindow = 44;

    // ASCII members of the numeric alphabet: digits, space, '.', '+', '-', '(' and ')'.
    private const ulong NumericAscii = (0x3FFUL << '0') | (1UL << ' ') | (1UL << '.') | (1UL << '+') | (1UL << '-') | (1UL << '(') | (1UL << ')');

    /// <summary>Adds every accepted candidate of the patterns in <paramref name="enabled"/> to <paramref name="found"/>, each pattern's in text order.</summary>
    /// <param name="text">The text.</param>
    /// <param name="enabled">Bit <c>1 &lt;&lt; (int)pattern</c> for each pattern to run.</param>
    /// <param name="found">Created on the first candidate.</param>
    public static void Scan(ReadOnlySpan<char> text, int enabled, ref List<PiiCandidate>? found)
    {
        const int numeric = (1 << (int)PiiPattern.Nanp) | (1 << (int)PiiPattern.E164) | (1 << (int)PiiPattern.JapanesePhone)
            | (1 << (int)PiiPattern.Ssn) | (1 << (int)PiiPattern.Card) | (1 << (int)PiiPattern.Ipv4) | (1 << (int)PiiPattern.Iban)
            | (1 << (int)PiiPattern.MyNumber);
        if ((enabled & (1 << (int)PiiPattern.Email)) != 0)
        {
            ScanEmail(text, ref found);
        }

        if ((enabled & numeric) != 0)
        {
            ScanNumeric(text, enabled, ref found);
        }

        if ((enabled & (1 << (int)PiiPattern.Ipv6)) != 0)
        {
            ScanIpv6(text, ref found);
        }
    }

    private static void ScanEmail(ReadOnlySpan<char> text, ref List<PiiCandidate>? found)
    {
        var position = 0;
        while (position < text.Length)
        {
            var at = text[position..].IndexOf('@');
            if (at < 0)
            {
                return;
            }

            at += position;
            var start = at;
            while (start > 0 && IsEmailChar(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && IsEmailChar(text[end]))
            {
                end++;
            }

            Run(PiiPattern.Email, text[..end], start, ref found);
            position = end;
        }
    }

    private static void ScanIpv6(ReadOnlySpan<char> text, ref List<PiiCandidate>? found)
    {
        var position = 0;
        while (position < text.Length)
        {
            var colon = text[position..].IndexOf(':');
            if (colon < 0)
            {
                return;
            }

            colon += position;
            var start = colon;
            while (start > 0 && char.IsAsciiHexDigit(text[start - 1]))
            {
                start--;
            }

            var colons = 1;
            var end = colon + 1;
            for (; end < text.Length; end++)
            {
                var c = text[end];
                if (c == ':')
                {
                    colons++;
                }
                else if (!char.IsAsciiHexDigit(c))
                {
                    break;
                }
            }

            // Every IPv6 candidate has at least two colons.
            if (colons >= 2)
            {
                Run(PiiPattern.Ipv6, text[..end], start, ref found);
            }

            position = end;
        }
    }

    private static void ScanNumeric(ReadOnlySpan<char> text, int enabled, ref List<PiiCandidate>? found)
    {
        var nextAscii = -2; // -2: not searched yet; -1: none left
        var nextWide = -2;
        var ibanEnd = 0;
        var position = 0;
        while (position < text.Length)
        {
            nextAscii = NextAtOrAfter(text, position, nextAscii, '0', '9');
            nextWide = NextAtOrAfter(text, position, nextWide, '０', '９');
            var digit = nextWide < 0 || (nextAscii >= 0 && nextAscii < nextWide) ? nextAscii : nextWide;
            if (digit < 0)
            {
                return;
            }

            if ((enabled & (1 << (int)PiiPattern.Iban)) != 0 && digit >= 2 && digit - 2 >= ibanEnd
                && char.IsAsciiLetterUpper(text[digit - 2]) && char.IsAsciiLetterUpper(text[digit - 1])
                && char.IsAsciiDigit(text[digit]) && digit + 1 < text.Length && char.IsAsciiDigit(text[digit + 1]))
            {
                ibanEnd = TryIban(text, digit - 2, ibanEnd, ref found);
            }

            var start = digit;
            while (start > 0 && IsNumericChar(text[start - 1]))
            {
                start--;
            }

            var end = digit + 1;
            while (end < text.Length && IsNumericChar(text[end]))
            {
                end++;
            }

            RunNumeric(text[..end], start, enabled, ref found);
            position = end;
        }
    }

    // What every finding of each numeric pattern needs, counted over the run, decides which patterns run on it.
    private static void RunNumeric(ReadOnlySpan<char> text, int start, int enabled, ref List<PiiCandidate>? found)
    {
        int ascii = 0, wide = 0, zeros = 0, plus = 0, dots = 0, separators = 0;
        foreach (var c in text[start..])
        {
            switch (c)
            {
                case >= '0' and <= '9':
                    ascii++;
                    zeros += c == '0' ? 1 : 0;
                    break;
                case >= '０' and <= '９':
                    wide++;
                    zeros += c == '０' ? 1 : 0;
                    break;
                case '+':
                    plus++;
                    break;
                case '.':
                    dots++;
                    break;
                case ' ' or '-':
                    separators++;
                    break;
            }
        }

        if (ascii + wide < 4)
        {
            return;
        }

        var digits = ascii + wide;
        RunIf(PiiPattern.Nanp, ascii >= 10, text, start, enabled, ref found);
        RunIf(PiiPattern.E164, plus > 0 && ascii >= 8, text, start, enabled, ref found);
        RunIf(PiiPattern.JapanesePhone, digits >= 10 && zeros > 0, text, start, enabled, ref found);
        RunIf(PiiPattern.Ssn, ascii >= 9 && separators >= 2, text, start, enabled, ref found);
        RunIf(PiiPattern.Card, ascii >= 13, text, start, enabled, ref found);
        RunIf(PiiPattern.Ipv4, ascii >= 4 && dots >= 3, text, start, enabled, ref found);
        RunIf(PiiPattern.MyNumber, digits >= 12, text, start, enabled, ref found);
    }

    private static void RunIf(PiiPattern pattern, bool possible, ReadOnlySpan<char> text, int start, int enabled, ref List<PiiCandidate>? found)
    {
        if (possible && (enabled & (1 << (int)pattern)) != 0)
        {
            Run(pattern, text, start, ref found);
        }
    }

    // Tries the IBAN pattern at exactly 'start' (a whole-text scan tries it there too, since no earlier match covers it); returns the new end of the last match.
    private static int TryIban(ReadOnlySpan<char> text, int start, int ibanEnd, ref List<PiiCandidate>? found)
    {
        var window = text[..Math.Min(text.Length, start + IbanWindow)];
        foreach (var m in PiiPatterns.RegexOf(PiiPattern.Iban).EnumerateMatches(window, start))
        {
            if (m.Index == start)
            {
                if (PiiPatterns.Accepts(PiiPattern.Iban, window.Slice(m.Index, m.Length)))
                {
                    (found ??= []).Add(new PiiCandidate(PiiPattern.Iban, m.Index, m.Length));
                }

                return m.Index + m.Length;
            }

            break;
        }

        return ibanEnd;
    }

    private static void Run(PiiPattern pattern, ReadOnlySpan<char> text, int start, ref List<PiiCandidate>? found)
    {
        foreach (var m in PiiPatterns.RegexOf(pattern).EnumerateMatches(text, start))
        {
            if (PiiPatterns.Accepts(pattern, text.Slice(m.Index, m.Length)))
            {
                (found ??= []).Add(new PiiCandidate(pattern, m.Index, m.Length));
            }
        }
    }

    // The first character in [low, high] at or after 'position', reusing the previous answer while it is still ahead.
    private static int NextAtOrAfter(ReadOnlySpan<char> text, int position, int previous, char low, char high)
    {
        if (previous == -1 || previous >= position)
        {
            return previous;
        }

        var next = text[position..].IndexOfAnyInRange(low, high);
        return next < 0 ? -1 : next + position;
    }

    private static bool IsEmailChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '@';

    // Every character a numeric pattern (phones, SSN, card, IPv4, My Number) can consume.
    private static bool IsNumericChar(char c) => c < 64
        ? ((NumericAscii >> c) & 1) != 0
        : c is (>= '０' and <= '９') or '－' or '‐' or '−' or 'ー' or '（' or '）';
}
