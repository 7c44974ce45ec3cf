namespace AiGateway.MockProvider.Gemini;

/// <summary>Which Google API a Gemini path belongs to: the Gemini API (AI Studio) or Vertex AI.</summary>
internal enum GeminiApi
{
    AiStudio,
    Vertex,
}

/// <summary>
/// A Gemini request path under any prefix: <c>POST {p}/models/{model}:{method}</c> (AI Studio) or
/// <c>POST {p}/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}</c> (Vertex AI).
/// Methods: generateContent, streamGenerateContent, batchEmbedContents, embedContent, predict.
/// </summary>
internal readonly record struct GeminiRoute(GeminiApi Api, string Model, string Method)
{
    private const string VertexModels = "/publishers/google/models/";
    private const string Models = "/models/";

    /// <summary>True for paths of a Gemini or Vertex AI model method (any HTTP method).</summary>
    public static bool TryResolve(string path, out GeminiRoute route)
    {
        ArgumentNullException.ThrowIfNull(path);
        route = default;
        var colon = path.LastIndexOf(':');
        if (colon < 0 || path.IndexOf('/', colon) >= 0)
        {
            return false;
        }

        var method = path[(colon + 1)..];
        if (method is not ("generateContent" or "streamGenerateContent" or "batchEmbedContents" or "embedContent" or "predict"))
        {
            return false;
        }

        var vertex = path.IndexOf(VertexModels, StringComparison.Ordinal);
        if (vertex >= 0 && path.Contains("/projects/", StringComparison.Ordinal) && path.Contains("/locations/", StringComparison.Ordinal))
        {
            route = new GeminiRoute(GeminiApi.Vertex, Uri.UnescapeDataString(path[(vertex + VertexModels.Length)..colon]), method);
            return route.Model.Length > 0;
        }

        var models = path.LastIndexOf(Models, colon, StringComparison.Ordinal);
        if (models < 0)
        {
            return false;
        }

        route = new GeminiRoute(GeminiApi.AiStudio, Uri.UnescapeDataString(path[(models + Models.Length)..colon]), method);
        return route.Model.Length > 0;
    }
}
