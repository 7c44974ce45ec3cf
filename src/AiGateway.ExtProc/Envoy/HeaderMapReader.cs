using System.Text;
using Envoy.Config.Core.V3;

namespace AiGateway.ExtProc.Envoy;

/// <summary>Reads header values from Envoy's header maps. Envoy sends values in <c>raw_value</c> only.</summary>
internal static class HeaderMapReader
{
    /// <summary>The first value of header <paramref name="name"/> (lower-case), or null.</summary>
    public static string? Get(HeaderMap? map, string name)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var header in map.Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return ValueOf(header);
            }
        }

        return null;
    }

    /// <summary>A header's value: <c>raw_value</c> when set, else <c>value</c>.</summary>
    public static string ValueOf(HeaderValue header) =>
        header.RawValue.IsEmpty ? header.Value : Encoding.UTF8.GetString(header.RawValue.Span);

    /// <summary>Names of headers starting with <paramref name="prefix"/>, each once.</summary>
    public static List<string> NamesWithPrefix(HeaderMap? map, string prefix)
    {
        var names = new List<string>();
        if (map is null)
        {
            return names;
        }

        foreach (var header in map.Headers)
        {
            if (header.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var name = header.Key.ToLowerInvariant();
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }
}
