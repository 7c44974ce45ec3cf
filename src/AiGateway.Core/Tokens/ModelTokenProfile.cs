namespace AiGateway.Core.Tokens;

/// <summary>
/// How tokens of a model are counted: the OpenAI vocabulary used, whether the count is exact, and the
/// factor applied to that vocabulary's count for families whose own tokenizer is not available.
/// </summary>
/// <param name="Family">openai, claude, gemini, llama, granite or other.</param>
/// <param name="Encoding">The vocabulary counted with.</param>
/// <param name="Exact">True for OpenAI models (the vocabulary is the model's own).</param>
/// <param name="Factor">Multiplier applied to the count (1 when exact).</param>
/// <param name="ToolFunctionInit">Tokens OpenAI adds per tool definition (7 for o200k models, 10 for cl100k ones).</param>
public sealed record ModelTokenProfile(string Family, TokenEncoding Encoding, bool Exact, double Factor, int ToolFunctionInit)
{
    private static readonly string[] O200kPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "gpt-oss", "codex-"];
    private static readonly string[] Cl100kPrefixes = ["gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"];

    /// <summary>
    /// Factors are the assumed ratio tokens(family) / tokens(vocabulary) on English text. They are not yet
    /// calibrated against the providers' own counts; docs/tokens-and-costs.md says how to calibrate them.
    /// </summary>
    private static readonly ModelTokenProfile Claude = new("claude", TokenEncoding.Cl100kBase, false, 1.16, 10);
    private static readonly ModelTokenProfile Gemini = new("gemini", TokenEncoding.O200kBase, false, 1.05, 7);
    private static readonly ModelTokenProfile Llama = new("llama", TokenEncoding.Cl100kBase, false, 1.0, 10);
    private static readonly ModelTokenProfile Granite = new("granite", TokenEncoding.Cl100kBase, false, 1.1, 10);
    private static readonly ModelTokenProfile Other = new("other", TokenEncoding.O200kBase, false, 1.0, 7);
    private static readonly ModelTokenProfile OpenAiO200k = new("openai", TokenEncoding.O200kBase, true, 1.0, 7);
    private static readonly ModelTokenProfile OpenAiCl100k = new("openai", TokenEncoding.Cl100kBase, true, 1.0, 10);

    /// <summary>The profile of a model name as clients send it (Bedrock ids and watsonx paths included).</summary>
    public static ModelTokenProfile For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.AsSpan();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        foreach (var prefix in O200kPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return OpenAiO200k;
            }
        }

        foreach (var prefix in Cl100kPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return OpenAiCl100k;
            }
        }

        return name.Contains("claude", StringComparison.OrdinalIgnoreCase) ? Claude
            : name.Contains("gemini", StringComparison.OrdinalIgnoreCase) ? Gemini
            : name.Contains("llama", StringComparison.OrdinalIgnoreCase) ? Llama
            : name.Contains("granite", StringComparison.OrdinalIgnoreCase) ? Granite
            : Other;
    }
}
