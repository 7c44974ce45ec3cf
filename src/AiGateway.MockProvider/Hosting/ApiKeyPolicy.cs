using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// Required API keys per path prefix; the longest matching prefix decides. OpenAI paths carry the key as
/// <c>Authorization: Bearer</c>; Anthropic Messages paths carry it in <c>x-api-key</c>.
/// </summary>
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
        if (KeysFor(path) is not { } keys)
        {
            return null;
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

    /// <summary>
    /// The Anthropic 401 to answer, or <see langword="null"/>: <c>x-api-key</c> is always required, and must be
    /// one of the listed keys when a prefix matches. <c>Authorization: Bearer</c> is not accepted instead.
    /// </summary>
    public AnthropicError? CheckAnthropic(string path, string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return AnthropicError.MissingApiKey();
        }

        return KeysFor(path) is { } keys && !keys.Contains(apiKey.Trim()) ? AnthropicError.InvalidApiKey() : null;
    }

    /// <summary>
    /// True when <paramref name="key"/> may call <paramref name="path"/>: it is listed for the longest matching
    /// prefix, or no prefix matches. Dialects that carry the key elsewhere (Gemini's <c>x-goog-api-key</c>,
    /// Vertex AI's bearer token) check presence themselves.
    /// </summary>
    public bool Accepts(string path, string key) => KeysFor(path) is not { } keys || keys.Contains(key);

    private HashSet<string>? KeysFor(string path)
    {
        foreach (var (prefix, keys) in _rules)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return keys;
            }
        }

        return null;
    }
}
