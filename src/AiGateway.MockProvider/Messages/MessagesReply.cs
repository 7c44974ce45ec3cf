namespace AiGateway.MockProvider.Messages;

/// <summary>
/// What the mock answers to a Messages request: a text block, then optionally a <see cref="ToolUse"/> block,
/// with the stop reason and usage (<see cref="InputTokens"/> excludes cache tokens, which are always 0).
/// </summary>
internal sealed record MessagesReply(
    string Text,
    ToolUseReply? ToolUse,
    string StopReason,
    string? StopSequence,
    int InputTokens,
    int OutputTokens);

/// <summary>A <c>tool_use</c> block; <see cref="Input"/> is the JSON object text.</summary>
internal sealed record ToolUseReply(string Id, string Name, string Input);
