using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// Where issued tokens are demanded or accepted, checked before API keys. Under a prefix of
/// <see cref="MockProviderOptions.BearerTokenPrefixes"/> only <c>Authorization: Bearer &lt;issued token&gt;</c> is
/// accepted. On Azure OpenAI paths (<c>…/openai/…</c>) a bearer token, when sent, stands in for the
/// <c>api-key</c>; it must be an issued one, and a request may never carry both (Azure takes one or the other).
/// </summary>
internal sealed class BearerTokenPolicy(IReadOnlyList<string> prefixes)
{
    private const string AzureSegment = "/openai/";

    /// <summary>True when <paramref name="path"/> is under a prefix where only issued tokens are accepted.</summary>
    public bool Requires(string path) => prefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// <c>Applies</c> is false when this policy has no say (API keys decide); otherwise <c>Error</c> is null
    /// when the request passes, or the 401 to answer.
    /// </summary>
    public (bool Applies, OpenAiError? Error) Check(IssuedTokens tokens, string path, string? authorization, string? apiKey)
    {
        var required = Requires(path);
        var azure = path.Contains(AzureSegment, StringComparison.Ordinal);
        var bearer = IssuedTokens.BearerValue(authorization);
        if (!required && !(azure && bearer is not null))
        {
            return (false, null);
        }

        if (azure && bearer is not null && !string.IsNullOrWhiteSpace(apiKey))
        {
            return (true, new OpenAiError(401, "Send either an api-key header or an Authorization bearer token, not both.", "invalid_request_error", null, "401"));
        }

        return tokens.Check(authorization) switch
        {
            BearerCheck.Accepted => (true, null),
            BearerCheck.Expired => (true, Denied("The access token has expired.")),
            _ => (true, Denied("Access token is missing, invalid, audience is incorrect, or have expired.")),
        };
    }

    private static OpenAiError Denied(string message) => new(401, "Unauthorized. " + message, "invalid_request_error", null, "401");
}
