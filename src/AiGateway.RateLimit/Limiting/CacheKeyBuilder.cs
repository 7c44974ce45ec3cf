using System.Globalization;

namespace AiGateway.RateLimit.Limiting;

/// <summary>
/// Builds counter keys in the reference service's format, so both services can share one Redis:
/// <c>prefix + domain + "_" + (key + "_" + value + "_")… + windowStart</c>.
/// </summary>
public static class CacheKeyBuilder
{
    /// <summary>Builds one key in a single allocation.</summary>
    /// <param name="prefix">The cache key prefix.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="entries">The request's entries.</param>
    /// <param name="sharedValues">Per entry, a wildcard pattern to use instead of the value (share_threshold), or null.</param>
    /// <param name="windowStart">The window's start in Unix seconds.</param>
    public static string Build(string prefix, string domain, DescriptorEntry[] entries, string?[]? sharedValues, long windowStart)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(entries);
        var length = prefix.Length + domain.Length + 1 + Digits(windowStart);
        for (var i = 0; i < entries.Length; i++)
        {
            length += entries[i].Key.Length + (sharedValues?[i] ?? entries[i].Value).Length + 2;
        }

        return string.Create(length, (prefix, domain, entries, sharedValues, windowStart), static (span, state) =>
        {
            var at = 0;
            Append(span, ref at, state.prefix);
            Append(span, ref at, state.domain);
            span[at++] = '_';
            for (var i = 0; i < state.entries.Length; i++)
            {
                Append(span, ref at, state.entries[i].Key);
                span[at++] = '_';
                Append(span, ref at, state.sharedValues?[i] ?? state.entries[i].Value);
                span[at++] = '_';
            }

            state.windowStart.TryFormat(span[at..], out _, default, CultureInfo.InvariantCulture);
        });
    }

    private static int Digits(long value)
    {
        Span<char> buffer = stackalloc char[20];
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static void Append(Span<char> span, ref int at, string text)
    {
        text.CopyTo(span[at..]);
        at += text.Length;
    }
}
