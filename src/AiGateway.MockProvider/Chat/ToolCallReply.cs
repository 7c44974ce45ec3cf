namespace AiGateway.MockProvider.Chat;

/// <summary>The single function call a tool-calling reply carries; <see cref="Arguments"/> is a JSON string.</summary>
internal sealed record ToolCallReply(string Id, string Name, string Arguments);
