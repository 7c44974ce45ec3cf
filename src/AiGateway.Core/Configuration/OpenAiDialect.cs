namespace AiGateway.Core.Configuration;

/// <summary>
/// Which OpenAI-compatible server an <c>openai-compatible</c> provider is, for the few fields each
/// rejects or spells differently (provider-apis.md §7). Taken from <c>compatibility</c> in gateway.yaml,
/// else guessed from the endpoint's host.
/// </summary>
public enum OpenAiDialect
{
    /// <summary>Any server that accepts OpenAI's chat API as is (vLLM, Ollama, LM Studio, ...).</summary>
    Generic,

    /// <summary>Mistral: 9-character alphanumeric tool-call ids, <c>any</c> for required tool choice, <c>random_seed</c>.</summary>
    Mistral,

    /// <summary>Groq: no logprobs, logit_bias or n &gt; 1; no <c>messages[].name</c>; usage under <c>x_groq</c>.</summary>
    Groq,

    /// <summary>Together: finish reason <c>eos</c>.</summary>
    Together,
}

/// <summary>YAML names and host detection for <see cref="OpenAiDialect"/>.</summary>
public static class OpenAiDialects
{
    /// <summary>The accepted <c>compatibility</c> values.</summary>
    public const string Known = "generic, mistral, groq, together, vllm, ollama";

    /// <summary>Parses a <c>compatibility</c> value (vllm and ollama are generic).</summary>
    public static bool TryParse(string name, out OpenAiDialect dialect)
    {
        dialect = name switch
        {
            "generic" or "vllm" or "ollama" => OpenAiDialect.Generic,
            "mistral" => OpenAiDialect.Mistral,
            "groq" => OpenAiDialect.Groq,
            "together" => OpenAiDialect.Together,
            _ => (OpenAiDialect)(-1),
        };
        return Enum.IsDefined(dialect);
    }

    /// <summary>The dialect of a well-known public endpoint; generic for anything else.</summary>
    public static OpenAiDialect FromHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host switch
        {
            "api.mistral.ai" or "codestral.mistral.ai" => OpenAiDialect.Mistral,
            "api.groq.com" => OpenAiDialect.Groq,
            "api.together.xyz" or "api.together.ai" => OpenAiDialect.Together,
            _ => OpenAiDialect.Generic,
        };
    }
}
