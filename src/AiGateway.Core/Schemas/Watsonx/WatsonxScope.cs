using System.Text.Json;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Schemas.Watsonx;

/// <summary>The project or deployment space a watsonx.ai request runs in (exactly one is configured).</summary>
internal static class WatsonxScope
{
    /// <summary>Writes <c>project_id</c> or <c>space_id</c>.</summary>
    public static void Write(Utf8JsonWriter writer, ProviderDefinition provider)
    {
        if (!string.IsNullOrEmpty(provider.ProjectId))
        {
            writer.WriteString("project_id"u8, provider.ProjectId);
        }
        else if (!string.IsNullOrEmpty(provider.SpaceId))
        {
            writer.WriteString("space_id"u8, provider.SpaceId);
        }
    }
}
