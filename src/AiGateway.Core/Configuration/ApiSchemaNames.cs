using System.Collections.Frozen;

namespace AiGateway.Core.Configuration;

/// <summary>The YAML names of <see cref="ApiSchema"/> values.</summary>
public static class ApiSchemaNames
{
    private static readonly FrozenDictionary<string, ApiSchema> ByName = new Dictionary<string, ApiSchema>(StringComparer.Ordinal)
    {
        ["openai"] = ApiSchema.OpenAi,
        ["openai-compatible"] = ApiSchema.OpenAiCompatible,
        ["azure-openai"] = ApiSchema.AzureOpenAi,
        ["anthropic"] = ApiSchema.Anthropic,
        ["aws-bedrock"] = ApiSchema.AwsBedrock,
        ["bedrock"] = ApiSchema.AwsBedrock,
        ["gemini"] = ApiSchema.Gemini,
        ["vertex-ai"] = ApiSchema.VertexAi,
        ["watsonx"] = ApiSchema.Watsonx,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All accepted names, for error messages.</summary>
    public static string Known { get; } = string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal));

    /// <summary>Looks up a YAML type name.</summary>
    public static bool TryParse(string name, out ApiSchema schema) => ByName.TryGetValue(name, out schema);

    /// <summary>The canonical YAML name of a schema.</summary>
    public static string ToName(ApiSchema schema) => schema switch
    {
        ApiSchema.OpenAi => "openai",
        ApiSchema.OpenAiCompatible => "openai-compatible",
        ApiSchema.AzureOpenAi => "azure-openai",
        ApiSchema.Anthropic => "anthropic",
        ApiSchema.AwsBedrock => "aws-bedrock",
        ApiSchema.Gemini => "gemini",
        ApiSchema.VertexAi => "vertex-ai",
        ApiSchema.Watsonx => "watsonx",
        _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, null),
    };
}
