using System.Globalization;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Translation;

/// <summary>Gemini request paths and hosts for both flavours (provider-apis.md §5.1).</summary>
public static class GeminiPaths
{
    /// <summary>The API version used when the endpoint has no path: AI Studio.</summary>
    public const string DefaultAiStudioBase = "/v1beta";

    /// <summary>The API version used when the endpoint has no path: Vertex AI.</summary>
    public const string DefaultVertexBase = "/v1";

    /// <summary>
    /// The Vertex AI host for a region: <c>aiplatform.googleapis.com</c> for <c>global</c>, otherwise
    /// <c>{region}-aiplatform.googleapis.com</c>.
    /// </summary>
    public static string VertexHost(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region == "global" ? "aiplatform.googleapis.com" : region + "-aiplatform.googleapis.com";
    }

    /// <summary>
    /// The path of <paramref name="method"/> (e.g. <c>generateContent</c>, <c>streamGenerateContent?alt=sse</c>)
    /// on <paramref name="model"/>; null for a Vertex AI provider without project or region.
    /// </summary>
    public static string? ModelMethod(ProviderDefinition provider, GeminiFlavour flavour, string model, string method)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(model);
        if (flavour == GeminiFlavour.AiStudio)
        {
            var root = provider.BasePath.Length == 0 ? DefaultAiStudioBase : provider.BasePath;

            // "models/x" and "tunedModels/x" name the resource already; a bare name is a base model.
            var resource = model.Contains('/', StringComparison.Ordinal) ? model : "models/" + Uri.EscapeDataString(model);
            return $"{root}/{resource}:{method}";
        }

        if (string.IsNullOrEmpty(provider.ProjectId) || string.IsNullOrEmpty(provider.Region))
        {
            return null;
        }

        var vertexRoot = provider.BasePath.Length == 0 ? DefaultVertexBase : provider.BasePath;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{vertexRoot}/projects/{Uri.EscapeDataString(provider.ProjectId)}/locations/{Uri.EscapeDataString(provider.Region)}/publishers/google/models/{Uri.EscapeDataString(model)}:{method}");
    }

    /// <summary>The 500 for a Vertex AI provider whose project or region is missing (the validator prevents it).</summary>
    public static ClientError MissingVertexSettings(ProviderDefinition provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new ClientError(500, $"Provider '{provider.Name}' (vertex-ai) has no project_id or region configured.", "server_error", null, "provider_misconfigured");
    }
}
