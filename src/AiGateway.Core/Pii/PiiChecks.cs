using System.Net;
using System.Net.Sockets;

namespace AiGateway.Core.Pii;

/// <summary>Checksums and number rules that turn a candidate into a finding.</summary>
public static class PiiChecks
{
    /// <summary>The value of an ASCII or full-width digit, or −1.</summary>
    public static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= '０' and <= '９' => c - '０',
        _ => -1,
    };

    /// <summary>The digits of <paramref name="text"/> (ASCII or full-width), others skipped; false when more than <paramref name="digits"/> can hold.</summary>
    public static int Digits(ReadOnlySpan<char> text, Span<byte> digits)
    {
        var count = 0;
        foreach (var c in text)
        {
            var d = DigitValue(c);
            if (d < 0)
            {
                continue;
            }

            if (count == digits.Length)
            {
                return -1;
            }

            digits[count++] = (byte)d;
        }

        return count;
    }

    /// <summary>Luhn (mod 10) check over the digits.</summary>
    public static bool Luhn(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i];
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>A card number: 13 to 19 digits, a known issuer prefix and the Luhn check.</summary>
    public static bool IsCardNumber(ReadOnlySpan<byte> d)
    {
        if (d.Length is < 13 or > 19 || !Luhn(d))
        {
            return false;
        }

        var two = (d[0] * 10) + d[1];
        var four = (two * 100) + (d[2] * 10) + d[3];
        return d[0] == 4 // Visa
            || two is >= 51 and <= 55 || four is >= 2221 and <= 2720 // Mastercard
            || two is 34 or 37 // American Express
            || four == 6011 || two == 65 || (four / 10) is >= 644 and <= 649 // Discover
            || two == 35 // JCB
            || two is 36 or 38 || (four / 10) is >= 300 and <= 305 // Diners Club
            || two == 62; // UnionPay
    }

    /// <summary>US SSN rules: area not 000, 666 or 900–999; group not 00; serial not 0000.</summary>
    public static bool IsSsn(ReadOnlySpan<byte> d)
    {
        if (d.Length != 9)
        {
            return false;
        }

        var area = (d[0] * 100) + (d[1] * 10) + d[2];
        var group = (d[3] * 10) + d[4];
        var serial = (d[5] * 1000) + (d[6] * 100) + (d[7] * 10) + d[8];
        return area is not 0 and not 666 and < 900 && group != 0 && serial != 0;
    }

    /// <summary>
    /// My Number check digit: with P(n) the n-th of the first 11 digits counted from the right and
    /// Q(n) = n + 1 for n ≤ 6, n − 5 otherwise, r = Σ P(n)·Q(n) mod 11; the check digit is 0 when r ≤ 1, else 11 − r.
    /// </summary>
    public static bool IsMyNumber(ReadOnlySpan<byte> d)
    {
        if (d.Length != 12)
        {
            return false;
        }

        var sum = 0;
        for (var n = 1; n <= 11; n++)
        {
            sum += d[11 - n] * (n <= 6 ? n + 1 : n - 5);
        }

        var r = sum % 11;
        return d[11] == (r <= 1 ? 0 : 11 - r);
    }

    /// <summary>IBAN: 15 to 34 characters, country letters, check digits, and mod 97 = 1 over the rearranged number.</summary>
    public static bool IsIban(ReadOnlySpan<char> text)
    {
        Span<char> compact = stackalloc char[34];
        var length = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length || !char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length < 15 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]) || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    /// <summary>A real IPv6 address (at least two groups), not a time like 12:30:45.</summary>
    public static bool IsIpv6(ReadOnlySpan<char> text) =>
        text.Count(':') >= 2 && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
}
