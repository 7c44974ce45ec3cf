using Microsoft.ML.Tokenizers;

namespace AiGateway.Core.Tokens;

/// <summary>The two OpenAI BPE vocabularies, built once on first use and shared (the tokenizers are thread-safe).</summary>
public static class TokenEncodings
{
    private static readonly Lazy<TiktokenTokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<TiktokenTokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    /// <summary>The tokenizer of an encoding.</summary>
    public static TiktokenTokenizer Get(TokenEncoding encoding) => encoding switch
    {
        TokenEncoding.O200kBase => O200k.Value,
        TokenEncoding.Cl100kBase => Cl100k.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    /// <summary>The tiktoken name of an encoding.</summary>
    public static string Name(TokenEncoding encoding) => encoding == TokenEncoding.O200kBase ? "o200k_base" : "cl100k_base";
}

/// <summary>An OpenAI BPE vocabulary.</summary>
public enum TokenEncoding
{
    /// <summary>gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o-series.</summary>
    O200kBase,

    /// <summary>gpt-4, gpt-3.5-turbo, text-embedding-3, ada-002.</summary>
    Cl100kBase,
}
