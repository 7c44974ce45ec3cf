using System.Collections.Frozen;

namespace AiGateway.Core.Configuration;

/// <summary>A provider from gateway.yaml, validated and compiled.</summary>
public sealed class ProviderDefinition
{
    /// <summary>The provider's name: routing header value and endpoint metadata in Envoy.</summary>
    public required string Name { get; init; }

    /// <summary>The wire format it speaks.</summary>
    public required ApiSchema Schema { get; init; }

    /// <summary>The configured endpoint (base URL).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Host and port for <c>:authority</c>, e.g. <c>api.openai.com</c>.</summary>
    public required string Authority { get; init; }

    /// <summary>The endpoint's path without a trailing slash, e.g. <c>/v1</c>; empty for none.</summary>
    public required string BasePath { get; init; }

    /// <summary>The provider's API key; empty when none is configured.</summary>
    public required Secret ApiKey { get; init; }

    /// <summary>Models it serves.</summary>
    public required FrozenSet<string> Models { get; init; }

    /// <summary>Lower numbers are tried first.</summary>
    public required int Priority { get; init; }

    /// <summary>Position in the file, the tie-breaker between equal priorities.</summary>
    public required int Index { get; init; }

    /// <summary>True when this gateway version can translate to the provider's schema.</summary>
    public required bool IsSupported { get; init; }

    /// <summary>
    /// API version: Azure OpenAI <c>api-version</c> for deployment URLs, watsonx.ai <c>version</c> date;
    /// null for other types.
    /// </summary>
    public string? ApiVersion { get; init; }

    /// <summary>Model name to deployment name (Azure OpenAI); a model not listed is its own deployment.</summary>
    public FrozenDictionary<string, string> Deployments { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Region: AWS signing region (Bedrock) or Vertex AI location; null when not configured.</summary>
    public string? Region { get; init; }

    /// <summary>Project: Vertex AI project or watsonx.ai project id; null when not configured.</summary>
    public string? ProjectId { get; init; }

    /// <summary>watsonx.ai deployment space id (instead of a project); null when not configured.</summary>
    public string? SpaceId { get; init; }

    /// <summary>The OpenAI-compatible server kind (openai-compatible providers; generic for others).</summary>
    public OpenAiDialect Dialect { get; init; }

    /// <summary>How the gateway authenticates to this provider.</summary>
    public ProviderAuth Auth { get; init; } = ProviderAuth.ApiKey;

    /// <summary>The deployment serving <paramref name="model"/>.</summary>
    public string DeploymentFor(string model) => Deployments.TryGetValue(model, out var deployment) ? deployment : model;

    /// <summary>True for https endpoints.</summary>
    public bool UsesTls => Endpoint.Scheme == Uri.UriSchemeHttps;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ApiSchemaNames.ToName(Schema)})";
}
