namespace AiGateway.MockProvider.Chat;

/// <summary>What the mock answers: either <see cref="Text"/> or a <see cref="ToolCall"/>, with usage.</summary>
internal sealed record ChatReply(string? Text, ToolCallReply? ToolCall, string FinishReason, int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
