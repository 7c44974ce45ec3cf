namespace AiGateway.Core.Tokens;

/// <summary>A token count made by the gateway.</summary>
/// <param name="Tokens">The count.</param>
/// <param name="Exact">
/// True when the count follows OpenAI's tokenizer and billing rules for an OpenAI model and a text-only
/// request; false for estimates (other families, images, tool-call history).
/// </param>
/// <param name="Family">The model family the count was made for.</param>
/// <param name="Encoding">The vocabulary counted with.</param>
public readonly record struct TokenCount(long Tokens, bool Exact, string Family, TokenEncoding Encoding);
