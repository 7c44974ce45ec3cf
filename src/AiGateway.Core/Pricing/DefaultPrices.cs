using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Pricing;

/// <summary>The shipped list prices (embedded <c>default-prices.yaml</c>), by provider type; read once.</summary>
public static class DefaultPrices
{
    private const string ResourceName = "AiGateway.Core.Pricing.default-prices.yaml";
    private static readonly Lazy<FrozenDictionary<string, PriceList>> Loaded = new(Load);

    /// <summary>Price lists keyed by canonical provider type (<see cref="ApiSchemaNames.ToName"/>).</summary>
    public static FrozenDictionary<string, PriceList> Lists => Loaded.Value;

    /// <summary>The type whose shipped prices apply when a type has none of its own (Azure OpenAI → OpenAI, Vertex AI → Gemini).</summary>
    public static string? FallbackType(ApiSchema schema) => schema switch
    {
        ApiSchema.AzureOpenAi => "openai",
        ApiSchema.VertexAi => "gemini",
        _ => null,
    };

    /// <summary>Parses a price list in the <c>provider_costs</c> format; problems go to <paramref name="errors"/>.</summary>
    public static FrozenDictionary<string, PriceList> Parse(string yaml, string fileName, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodes = new YamlNodes(fileName, errors, _ => null, lines);
        var entries = CostManagementReader.ReadPriceList(nodes, stream.Documents[0].RootNode) ?? [];
        var lists = GatewayConfigValidator.CompilePriceLists(
            entries,
            "provider_costs",
            (path, message) =>
            {
                errors.Add(new ConfigError(fileName, path, message));
                return false;
            },
            (path, message) => errors.Add(new ConfigError(fileName, path, message, ConfigSeverity.Warning)));
        return lists.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, PriceList> Load()
    {
        using var stream = typeof(DefaultPrices).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var errors = new List<ConfigError>();
        var lists = Parse(reader.ReadToEnd(), "default-prices.yaml", errors);
        return errors.Count == 0
            ? lists
            : throw new InvalidOperationException($"The shipped price list is invalid: {string.Join("; ", errors)}");
    }
}
