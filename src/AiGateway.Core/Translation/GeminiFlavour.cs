namespace AiGateway.Core.Translation;

/// <summary>Where a Gemini model is served: the request bodies are the same, paths and auth differ.</summary>
public enum GeminiFlavour
{
    /// <summary>The Gemini API (AI Studio): <c>/v1beta/models/{model}:method</c>, <c>x-goog-api-key</c>.</summary>
    AiStudio,

    /// <summary>
    /// Vertex AI: <c>/v1/projects/{project}/locations/{region}/publishers/google/models/{model}:method</c>, an
    /// OAuth bearer token added by the credentials step after translation.
    /// </summary>
    VertexAi,
}
