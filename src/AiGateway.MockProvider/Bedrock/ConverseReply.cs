namespace AiGateway.MockProvider.Bedrock;

/// <summary>The mock's deterministic answer to a Converse request.</summary>
/// <param name="Text">The assistant text.</param>
/// <param name="StopReason">Converse <c>stopReason</c>.</param>
/// <param name="ToolName">The tool used, or null.</param>
/// <param name="ToolUseId">Its id.</param>
/// <param name="ToolInput">Its input, a JSON object.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
internal sealed record ConverseReply(string Text, string StopReason, string? ToolName, string? ToolUseId, string? ToolInput, int InputTokens, int OutputTokens);
