namespace AiGateway.Core.Configuration;

/// <summary>The wire format a provider speaks; the <c>type</c> of a provider in gateway.yaml.</summary>
public enum ApiSchema
{
    /// <summary>api.openai.com.</summary>
    OpenAi,

    /// <summary>Servers that speak the OpenAI API: vLLM, Ollama, Mistral, Groq, Together, ...</summary>
    OpenAiCompatible,

    /// <summary>Azure OpenAI.</summary>
    AzureOpenAi,

    /// <summary>Anthropic Messages.</summary>
    Anthropic,

    /// <summary>AWS Bedrock Converse.</summary>
    AwsBedrock,

    /// <summary>Gemini on AI Studio.</summary>
    Gemini,

    /// <summary>Gemini on Vertex AI.</summary>
    VertexAi,

    /// <summary>IBM watsonx.ai.</summary>
    Watsonx,
}
