using System.Text.RegularExpressions;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Envoy's <c>type.matcher.v3.StringMatcher</c>: exact, prefix, suffix, contains or safe_regex.</summary>
internal sealed record StringMatcherConfig(string? Exact, string? Prefix, string? Suffix, string? Contains, Regex? SafeRegex, bool IgnoreCase)
{
    public bool Matches(string value)
    {
        var comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (Exact is not null)
        {
            return string.Equals(value, Exact, comparison);
        }

        if (Prefix is not null)
        {
            return value.StartsWith(Prefix, comparison);
        }

        if (Suffix is not null)
        {
            return value.EndsWith(Suffix, comparison);
        }

        if (Contains is not null)
        {
            return value.Contains(Contains, comparison);
        }

        return SafeRegex is not null && SafeRegex.IsMatch(value);
    }
}
