using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Required API keys per path prefix; the longest matching prefix decides.</summary>
internal sealed class ApiKeyPolicy
{
    private readonly (string Prefix, HashSet<string> Keys)[] _rules;

    public ApiKeyPolicy(IReadOnlyDictionary<string, IReadOnlyList<string>> keysByPrefix)
    {
        ArgumentNullException.ThrowIfNull(keysByPrefix);
        _rules = [.. keysByPrefix
            .OrderByDescending(static pair => pair.Key.Length)
            .Select(static pair => (pair.Key, new HashSet<string>(pair.Value, StringComparer.Ordinal)))];
    }

    /// <summary>The 401 to answer, or <see langword="null"/> when the request may proceed.</summary>
    public OpenAiError? Check(string path, string? authorization)
    {
        foreach (var (prefix, keys) in _rules)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            const string scheme = "Bearer ";
            if (string.IsNullOrWhiteSpace(authorization)
                || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return OpenAiError.MissingApiKey();
            }

            var key = authorization[scheme.Length..].Trim();
            return keys.Contains(key) ? null : OpenAiError.InvalidApiKey(key);
        }

        return null;
    }
}
