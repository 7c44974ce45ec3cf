namespace AiGateway.Core.Configuration;

/// <summary>How the gateway authenticates to a provider (<c>auth.type</c> in gateway.yaml).</summary>
public enum ProviderAuthKind
{
    /// <summary>The provider's <c>api_key</c>, in the header its type uses (or none when no key is set).</summary>
    ApiKey,

    /// <summary>AWS Signature Version 4 (Bedrock), signed per attempt over the final body.</summary>
    AwsSigV4,

    /// <summary>Microsoft Entra ID client credentials → bearer token (Azure OpenAI).</summary>
    AzureEntra,

    /// <summary>Google service-account key → OAuth bearer token (Vertex AI).</summary>
    GcpServiceAccount,

    /// <summary>IBM Cloud IAM API key → bearer token (watsonx.ai).</summary>
    IbmIam,
}

/// <summary>A provider's validated <c>auth</c> settings. Credentials are <see cref="Secret"/>s.</summary>
public sealed record ProviderAuth
{
    /// <summary>Default Entra ID authority.</summary>
    public static readonly Uri DefaultAzureAuthorityHost = new("https://login.microsoftonline.com/");

    /// <summary>Default Entra ID scope for Azure OpenAI.</summary>
    public const string DefaultAzureScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>Default OAuth scope for Vertex AI.</summary>
    public const string DefaultGcpScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>Default IBM Cloud IAM token endpoint.</summary>
    public static readonly Uri DefaultIbmIamTokenUrl = new("https://iam.cloud.ibm.com/identity/token");

    /// <summary>API-key auth (the default for every type but watsonx.ai).</summary>
    public static ProviderAuth ApiKey { get; } = new() { Kind = ProviderAuthKind.ApiKey };

    /// <summary>The kind.</summary>
    public required ProviderAuthKind Kind { get; init; }

    /// <summary>AWS access key id (aws-sigv4).</summary>
    public Secret AccessKeyId { get; init; } = Secret.Empty;

    /// <summary>AWS secret access key (aws-sigv4).</summary>
    public Secret SecretAccessKey { get; init; } = Secret.Empty;

    /// <summary>AWS session token (aws-sigv4 with temporary credentials); empty when none.</summary>
    public Secret SessionToken { get; init; } = Secret.Empty;

    /// <summary>Entra tenant (azure-entra).</summary>
    public string? TenantId { get; init; }

    /// <summary>Entra application (client) id (azure-entra).</summary>
    public string? ClientId { get; init; }

    /// <summary>Entra client secret (azure-entra).</summary>
    public Secret ClientSecret { get; init; } = Secret.Empty;

    /// <summary>Entra authority host (azure-entra).</summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>Token scope (azure-entra, gcp-service-account).</summary>
    public string? Scope { get; init; }

    /// <summary>Service-account key file, absolute path (gcp-service-account).</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>IAM token endpoint (ibm-iam).</summary>
    public Uri? TokenUrl { get; init; }

    /// <summary>The YAML name of a kind.</summary>
    public static string NameOf(ProviderAuthKind kind) => kind switch
    {
        ProviderAuthKind.ApiKey => "api-key",
        ProviderAuthKind.AwsSigV4 => "aws-sigv4",
        ProviderAuthKind.AzureEntra => "azure-entra",
        ProviderAuthKind.GcpServiceAccount => "gcp-service-account",
        ProviderAuthKind.IbmIam => "ibm-iam",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a YAML name.</summary>
    public static bool TryParse(string name, out ProviderAuthKind kind)
    {
        foreach (var candidate in Enum.GetValues<ProviderAuthKind>())
        {
            if (NameOf(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
