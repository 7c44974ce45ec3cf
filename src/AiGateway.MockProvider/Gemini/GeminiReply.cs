namespace AiGateway.MockProvider.Gemini;

/// <summary>
/// What the mock answers to a generateContent request: text, or one function call (<see cref="CallArgs"/> is
/// the JSON object text), the finish reason, how many candidates, and the token counts.
/// </summary>
internal sealed record GeminiReply(
    string Text,
    string? CallName,
    string? CallArgs,
    string FinishReason,
    int CandidateCount,
    int PromptTokens,
    int CandidatesTokens);
