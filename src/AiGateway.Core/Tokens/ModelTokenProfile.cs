namespace AiGateway.Core.Tokens;

/// <summary>
/// How tokens of a model are counted: the OpenAI vocabulary used, whether the count is exact, and for families whose
/// own tokenizer is not shipped, the calibrated estimator applied to that vocabulary's count.
/// </summary>
/// <param name="Family">openai, claude, gemini, llama, granite or other.</param>
/// <param name="Encoding">The vocabulary counted with.</param>
/// <param name="Exact">True for OpenAI models (the vocabulary is the model's own).</param>
/// <param name="Estimator">
/// The calibrated estimator of a non-OpenAI family; null for OpenAI models (exact) and for unknown models, which
/// are counted with o200k_base unscaled and have no measured error.
/// </param>
/// <param name="ToolFunctionInit">Tokens OpenAI adds per tool definition (7 for o200k models, 10 for cl100k ones).</param>
public sealed record ModelTokenProfile(string Family, TokenEncoding Encoding, bool Exact, TokenEstimator? Estimator, int ToolFunctionInit)
{
    private static readonly string[] O200kPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "gpt-oss", "codex-"];
    private static readonly string[] Cl100kPrefixes = ["gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"];

    private static readonly ModelTokenProfile Claude = Estimated(TokenEstimatorCoefficients.Claude);
    private static readonly ModelTokenProfile Gemini = Estimated(TokenEstimatorCoefficients.Gemini);
    private static readonly ModelTokenProfile Llama = Estimated(TokenEstimatorCoefficients.Llama);
    private static readonly ModelTokenProfile Granite = Estimated(TokenEstimatorCoefficients.Granite);
    private static readonly ModelTokenProfile Other = new("other", TokenEncoding.O200kBase, false, null, 7);
    private static readonly ModelTokenProfile OpenAiO200k = new("openai", TokenEncoding.O200kBase, true, null, 7);
    private static readonly ModelTokenProfile OpenAiCl100k = new("openai", TokenEncoding.Cl100kBase, true, null, 10);

    /// <summary>
    /// The profile of a model name as clients send it, Bedrock ids (<c>us.anthropic.claude-…</c>,
    /// <c>meta.llama3-…</c>), Vertex and watsonx paths (<c>models/gemini-…</c>, <c>ibm/granite-…</c>) and Hugging Face
    /// ids (<c>meta-llama/Llama-3.1-8B-Instruct</c>) included. Gemma models share Gemini's vocabulary and get its estimator.
    /// </summary>
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
            : name.Contains("gemini", StringComparison.OrdinalIgnoreCase) || name.Contains("gemma", StringComparison.OrdinalIgnoreCase) ? Gemini
            : name.Contains("llama", StringComparison.OrdinalIgnoreCase) ? Llama
            : name.Contains("granite", StringComparison.OrdinalIgnoreCase) ? Granite
            : Other;
    }

    private static ModelTokenProfile Estimated(TokenEstimator estimator) =>
        new(estimator.Family, estimator.BaseEncoding, false, estimator, estimator.BaseEncoding == TokenEncoding.O200kBase ? 7 : 10);
}
