using System.Text.Json.Serialization;
using AiGateway.MockProvider.Identity;

namespace AiGateway.MockProvider.Configuration;

/// <summary>The <c>--config</c> file (YAML or JSON, snake_case keys). Unknown keys are errors.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class MockConfigFile
{
    public List<string>? Models { get; set; }

    public string? ResponseTemplate { get; set; }

    public int? ChunkDelayMs { get; set; }

    public int? EmbeddingDimensions { get; set; }

    public bool? RejectUnknownModels { get; set; }

    public int? MaxRecordedRequests { get; set; }

    public Dictionary<string, List<string>>? ApiKeys { get; set; }

    public List<string>? IbmApiKeys { get; set; }

    public int? IamTokenLifetimeSeconds { get; set; }

    public List<MockFaultConfig>? Faults { get; set; }

    public List<MockEntraClientConfig>? EntraClients { get; set; }

    public List<MockServiceAccountConfig>? GoogleServiceAccounts { get; set; }

    public List<string>? BearerTokenPrefixes { get; set; }

    public int? TokenLifetimeSeconds { get; set; }
}
