using System.Security.Cryptography;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Identity;

namespace AiGateway.MockProvider;

/// <summary>Behaviour of a mock provider instance. Immutable once the server has started.</summary>
public sealed class MockProviderOptions
{
    /// <summary>Template placeholder replaced with the last user message text, truncated to 200 characters.</summary>
    public const string LastUserMessagePlaceholder = "{last_user_message}";

    /// <summary>Template placeholder replaced with the request's <c>model</c>.</summary>
    public const string ModelPlaceholder = "{model}";

    /// <summary>The default reply: <c>Mock reply to: {last_user_message}</c>.</summary>
    public const string DefaultResponseTemplate = "Mock reply to: " + LastUserMessagePlaceholder;

    /// <summary>The default embedding vector length when a request sets no <c>dimensions</c>.</summary>
    public const int DefaultEmbeddingDimensions = 8;

    /// <summary>The models served by default.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } =
        ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "llama-3.1-8b-instruct"];

    /// <summary>Model ids returned by <c>GET {prefix}/models</c>.</summary>
    public IReadOnlyList<string> Models { get; init; } = DefaultModels;

    /// <summary>Reply text; supports <see cref="LastUserMessagePlaceholder"/> and <see cref="ModelPlaceholder"/>.</summary>
    public string ResponseTemplate { get; init; } = DefaultResponseTemplate;

    /// <summary>Delay between SSE events. Default zero.</summary>
    public TimeSpan ChunkDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Path prefix to accepted API keys. A request whose path starts with a prefix (the longest wins)
    /// must carry <c>Authorization: Bearer &lt;one of the keys&gt;</c>, else it gets 401. On an Anthropic
    /// <c>{prefix}/messages</c> path the key is read from <c>x-api-key</c> instead (which is required there even
    /// when no prefix matches).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredApiKeys { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// IBM Cloud API keys the mock IAM (<c>POST /identity/token</c>) exchanges for tokens; empty accepts any
    /// non-empty key. watsonx.ai paths (<c>/ml/v1/...</c>) accept only tokens the mock IAM issued.
    /// </summary>
    public IReadOnlyList<string> IbmApiKeys { get; init; } = [];

    /// <summary>How long a token from the mock IAM is valid (<c>expires_in</c>). Default one hour, like IAM.</summary>
    public TimeSpan IamTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Credentials the Bedrock endpoints (<c>{prefix}/model/{id}/...</c>) verify; none by default.</summary>
    public Bedrock.BedrockMockOptions Bedrock { get; init; } = new();

    /// <summary>Fault rules active from start; more can be added with <see cref="MockProviderServer.AddFault"/>.</summary>
    public IReadOnlyList<FaultRule> Faults { get; init; } = [];

    /// <summary>Embedding length when a request sets no <c>dimensions</c>.</summary>
    public int EmbeddingDimensions { get; init; } = DefaultEmbeddingDimensions;

    /// <summary>When true, a chat or embeddings request for a model not in <see cref="Models"/> gets 404.</summary>
    public bool RejectUnknownModels { get; init; }

    /// <summary>Recorded requests kept; the oldest are dropped beyond this. Zero disables recording.</summary>
    public int MaxRecordedRequests { get; init; } = 10_000;

    /// <summary>
    /// Applications the Entra ID token endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>) accepts. Entra ID
    /// clients (Azure.Identity) only talk TLS: set <see cref="ServeHttps"/> and use <see cref="MockProviderServer.HttpsBaseAddress"/>.
    /// </summary>
    public IReadOnlyList<MockEntraClient> EntraClients { get; init; } = [];

    /// <summary>Service accounts the Google token endpoint (<c>POST /token</c>) accepts signed JWT assertions from.</summary>
    public IReadOnlyList<MockServiceAccount> GoogleServiceAccounts { get; init; } = [];

    /// <summary>Lifetime (<c>expires_in</c>) of the tokens the identity endpoints issue. Default one hour.</summary>
    public TimeSpan IssuedTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Path prefixes where only <c>Authorization: Bearer &lt;token issued by this mock&gt;</c> is accepted (API keys are
    /// not). On Azure OpenAI paths (<c>…/openai/…</c>) an issued bearer token is accepted anyway, in place of <c>api-key</c>.
    /// </summary>
    public IReadOnlyList<string> BearerTokenPrefixes { get; init; } = [];

    /// <summary>Also listen for HTTPS on loopback with a self-signed certificate made at start (in-process server only).</summary>
    public bool ServeHttps { get; init; }

    /// <summary>Clock for <c>created</c>, recording timestamps and delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Models is null || Models.Count == 0 || Models.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("models: expected at least one non-empty model id");
        }

        if (ResponseTemplate is null)
        {
            errors.Add("response_template: expected a template string");
        }

        if (ChunkDelay < TimeSpan.Zero)
        {
            errors.Add($"chunk_delay_ms: expected 0 or more, got {ChunkDelay.TotalMilliseconds}");
        }

        if (EmbeddingDimensions is < 1 or > EmbeddingLimits.MaxDimensions)
        {
            errors.Add($"embedding_dimensions: expected 1..{EmbeddingLimits.MaxDimensions}, got {EmbeddingDimensions}");
        }

        if (MaxRecordedRequests < 0)
        {
            errors.Add($"max_recorded_requests: expected 0 or more, got {MaxRecordedRequests}");
        }

        if (TimeProvider is null)
        {
            errors.Add("time_provider: expected a TimeProvider");
        }

        foreach (var (prefix, keys) in RequiredApiKeys ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (string.IsNullOrEmpty(prefix) || prefix[0] != '/')
            {
                errors.Add($"api_keys['{prefix}']: expected a path prefix starting with '/'");
            }

            if (keys is null || keys.Count == 0 || keys.Any(string.IsNullOrEmpty))
            {
                errors.Add($"api_keys['{prefix}']: expected at least one non-empty key");
            }
        }

        if (IbmApiKeys is null || IbmApiKeys.Any(string.IsNullOrEmpty))
        {
            errors.Add("ibm_api_keys: expected a list of non-empty keys");
        }

        if (IamTokenLifetime < TimeSpan.FromSeconds(1))
        {
            errors.Add($"iam_token_lifetime_seconds: expected 1 or more, got {IamTokenLifetime.TotalSeconds}");
        }

        ValidateIdentity(errors);

        var faults = Faults ?? [];
        for (var i = 0; i < faults.Count; i++)
        {
            if (faults[i] is null)
            {
                errors.Add($"faults[{i}]: expected a fault rule");
                continue;
            }

            errors.AddRange(faults[i].Validate($"faults[{i}]"));
        }

        return errors;
    }

    private void ValidateIdentity(List<string> errors)
    {
        if (IssuedTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"token_lifetime_seconds: expected more than 0, got {IssuedTokenLifetime.TotalSeconds}");
        }

        var clients = EntraClients ?? [];
        for (var i = 0; i < clients.Count; i++)
        {
            if (clients[i] is not { } c || string.IsNullOrEmpty(c.TenantId) || c.TenantId.Contains('/', StringComparison.Ordinal)
                || string.IsNullOrEmpty(c.ClientId) || string.IsNullOrEmpty(c.ClientSecret))
            {
                errors.Add($"entra_clients[{i}]: expected tenant_id (no '/'), client_id and client_secret");
            }
        }

        var accounts = GoogleServiceAccounts ?? [];
        for (var i = 0; i < accounts.Count; i++)
        {
            if (accounts[i] is not { } a || string.IsNullOrEmpty(a.ClientEmail) || !IsRsaPublicKey(a.PublicKeyPem))
            {
                errors.Add($"google_service_accounts[{i}]: expected client_email and an RSA public key in PEM");
            }
        }

        foreach (var prefix in BearerTokenPrefixes ?? [])
        {
            if (string.IsNullOrEmpty(prefix) || prefix[0] != '/')
            {
                errors.Add($"bearer_token_prefixes['{prefix}']: expected a path prefix starting with '/'");
            }
        }
    }

    private static bool IsRsaPublicKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return false;
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
