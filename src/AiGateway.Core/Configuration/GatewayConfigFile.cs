namespace AiGateway.Core.Configuration;

/// <summary>gateway.yaml as written: plain DTOs, filled by <see cref="GatewayConfigFileReader"/>.</summary>
public sealed class GatewayConfigFile
{
    /// <summary>The file these DTOs came from.</summary>
    public required string FileName { get; init; }

    /// <summary><c>providers</c>; null when the key is absent.</summary>
    public List<ProviderConfigFile>? Providers { get; set; }

    /// <summary><c>routing</c>; null when the key is absent.</summary>
    public RoutingConfigFile? Routing { get; set; }

    /// <summary><c>cost_management</c>; null when the key is absent.</summary>
    public CostManagementConfigFile? CostManagement { get; set; }

    /// <summary><c>security.data_masking</c>; null when absent.</summary>
    public DataMaskingConfigFile? DataMasking { get; set; }

    /// <summary><c>rate_limiting</c>; null when absent.</summary>
    public RateLimitingConfigFile? RateLimiting { get; set; }

    /// <summary>1-based line of each YAML path that was read.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>The line of a YAML path, or of its nearest parent that has one.</summary>
    public int? LineOf(string path)
    {
        while (true)
        {
            if (Lines.TryGetValue(path, out var line))
            {
                return line;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return null;
            }

            path = path[..cut];
        }
    }
}

/// <summary>One entry of <c>providers</c>.</summary>
public sealed class ProviderConfigFile
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; set; }

    /// <summary><c>type</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>endpoint</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>api_key</c>, after <c>${ENV}</c> substitution.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>models</c>.</summary>
    public List<string?>? Models { get; set; }

    /// <summary><c>priority</c>: lower numbers are tried first.</summary>
    public int? Priority { get; set; }

    /// <summary><c>api_version</c> (Azure OpenAI deployment URLs).</summary>
    public string? ApiVersion { get; set; }

    /// <summary><c>deployments</c>: model name to deployment name (Azure OpenAI).</summary>
    public Dictionary<string, string?>? Deployments { get; set; }

    /// <summary><c>region</c> (AWS Bedrock signing region, Vertex AI location).</summary>
    public string? Region { get; set; }

    /// <summary><c>project_id</c> (Vertex AI project, watsonx.ai project).</summary>
    public string? ProjectId { get; set; }

    /// <summary><c>space_id</c> (watsonx.ai deployment space, instead of a project).</summary>
    public string? SpaceId { get; set; }

    /// <summary><c>compatibility</c> (openai-compatible): mistral, groq, together, vllm, ollama or generic.</summary>
    public string? Compatibility { get; set; }

    /// <summary><c>auth</c>: how the gateway authenticates to the provider when an API key is not enough.</summary>
    public AuthConfigFile? Auth { get; set; }
}

/// <summary>A provider's <c>auth</c> section.</summary>
public sealed class AuthConfigFile
{
    /// <summary><c>type</c>: api-key, aws-sigv4, azure-entra, gcp-service-account or ibm-iam.</summary>
    public string? Type { get; set; }

    /// <summary><c>access_key_id</c> (aws-sigv4).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary><c>secret_access_key</c> (aws-sigv4).</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary><c>session_token</c> (aws-sigv4, temporary credentials).</summary>
    public string? SessionToken { get; set; }

    /// <summary><c>tenant_id</c> (azure-entra).</summary>
    public string? TenantId { get; set; }

    /// <summary><c>client_id</c> (azure-entra).</summary>
    public string? ClientId { get; set; }

    /// <summary><c>client_secret</c> (azure-entra).</summary>
    public string? ClientSecret { get; set; }

    /// <summary><c>authority_host</c> (azure-entra; sovereign clouds), default https://login.microsoftonline.com/.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary><c>scope</c> (azure-entra, gcp-service-account): the token scope.</summary>
    public string? Scope { get; set; }

    /// <summary><c>credentials_file</c> (gcp-service-account): the service-account key JSON file.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary><c>token_url</c> (ibm-iam): the IAM token endpoint.</summary>
    public string? TokenUrl { get; set; }
}

/// <summary>The <c>routing</c> section.</summary>
public sealed class RoutingConfigFile
{
    /// <summary><c>strategy</c>: priority, round-robin or least-latency.</summary>
    public string? Strategy { get; set; }

    /// <summary><c>fallback_enabled</c>.</summary>
    public bool? FallbackEnabled { get; set; }

    /// <summary><c>fallback_on_errors</c>.</summary>
    public List<string?>? FallbackOnErrors { get; set; }

    /// <summary><c>retry_attempts</c>.</summary>
    public int? RetryAttempts { get; set; }

    /// <summary><c>retry_delay</c>, e.g. <c>1s</c>.</summary>
    public string? RetryDelay { get; set; }
}

/// <summary>The <c>cost_management</c> section.</summary>
public sealed class CostManagementConfigFile
{
    /// <summary><c>enabled</c>: price requests (default true).</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>currency</c>: only USD.</summary>
    public string? Currency { get; set; }

    /// <summary><c>response_header</c>: add <c>x-ai-gateway-cost</c> to buffered responses (default false).</summary>
    public bool? ResponseHeader { get; set; }

    /// <summary><c>provider_costs</c>: provider name or type, then model, then prices.</summary>
    public Dictionary<string, Dictionary<string, ModelPriceConfigFile>>? ProviderCosts { get; set; }
}

/// <summary>One model's prices under <c>cost_management.provider_costs</c>, in USD per token.</summary>
public sealed class ModelPriceConfigFile
{
    /// <summary><c>input_token_cost</c>: uncached prompt tokens.</summary>
    public decimal? Input { get; set; }

    /// <summary><c>output_token_cost</c>: completion tokens.</summary>
    public decimal? Output { get; set; }

    /// <summary><c>cached_input_token_cost</c>: prompt tokens read from the cache (default: the input price).</summary>
    public decimal? CachedInput { get; set; }

    /// <summary><c>cache_write_token_cost</c>: prompt tokens written to the cache (default: the input price).</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary><c>reasoning_token_cost</c>: reasoning tokens (default: the output price).</summary>
    public decimal? Reasoning { get; set; }
}

/// <summary>The <c>security.data_masking</c> section.</summary>
public sealed class DataMaskingConfigFile
{
    /// <summary><c>enabled</c> (default true when the section is present).</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>pii_detection.enabled</c> (default true).</summary>
    public bool? DetectionEnabled { get; set; }

    /// <summary><c>mask_output</c>: also mask the model's answers, buffered and streamed (default false).</summary>
    public bool? MaskOutput { get; set; }

    /// <summary><c>pii_detection.tenant_header</c>: the request header naming the tenant hashes are keyed for (default <c>x-tenant-id</c>).</summary>
    public string? TenantHeader { get; set; }

    /// <summary><c>pii_detection.detectors</c>: built-in types to run (default: all).</summary>
    public List<string?>? Detectors { get; set; }

    /// <summary><c>pii_detection.mode</c>: mask, redact, hash, block or reversible (default mask).</summary>
    public string? Mode { get; set; }

    /// <summary><c>pii_detection.modes</c>: mode per type.</summary>
    public Dictionary<string, string?>? Modes { get; set; }

    /// <summary><c>pii_detection.hash_key</c>: the key of hash mode.</summary>
    public string? HashKey { get; set; }

    /// <summary><c>pii_detection.patterns</c>: user patterns.</summary>
    public List<PiiPatternConfigFile>? Patterns { get; set; }
}

/// <summary>One entry of <c>pii_detection.patterns</c>.</summary>
public sealed class PiiPatternConfigFile
{
    /// <summary><c>type</c>: the label.</summary>
    public string? Type { get; set; }

    /// <summary><c>regex</c>.</summary>
    public string? Regex { get; set; }

    /// <summary><c>replacement</c>: the mask text.</summary>
    public string? Replacement { get; set; }
}

/// <summary>The <c>rate_limiting</c> section: Envoy's rate-limit filter and the limits it asks <c>aigw serve ratelimit</c> about.</summary>
public sealed class RateLimitingConfigFile
{
    /// <summary><c>service</c>: host:port of the rate-limit service.</summary>
    public string? Service { get; set; }

    /// <summary><c>domain</c>: the rate-limit domain.</summary>
    public string? Domain { get; set; }

    /// <summary><c>timeout</c>: how long Envoy waits for the service, e.g. <c>20ms</c>.</summary>
    public string? Timeout { get; set; }

    /// <summary><c>failure_mode_deny</c>: refuse requests when the service cannot answer.</summary>
    public bool? FailureModeDeny { get; set; }

    /// <summary><c>response_headers</c>: Envoy's <c>x-ratelimit-*</c> headers.</summary>
    public bool? ResponseHeaders { get; set; }

    /// <summary><c>limits</c>.</summary>
    public List<RateLimitEntryConfigFile>? Limits { get; set; }
}

/// <summary>One entry of <c>rate_limiting.limits</c>.</summary>
public sealed class RateLimitEntryConfigFile
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; set; }

    /// <summary><c>per</c>: <c>header:&lt;name&gt;</c>, <c>remote_address</c>, <c>metadata:&lt;namespace&gt;:&lt;key&gt;</c> or <c>global</c>.</summary>
    public string? Per { get; set; }

    /// <summary><c>per_model</c>: a separate counter per requested model.</summary>
    public bool? PerModel { get; set; }

    /// <summary><c>requests</c> per unit.</summary>
    public int? Requests { get; set; }

    /// <summary><c>tokens</c> per unit.</summary>
    public int? Tokens { get; set; }

    /// <summary><c>unit</c>: second, minute, hour, day, week, month or year.</summary>
    public string? Unit { get; set; }
}
