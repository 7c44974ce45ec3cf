namespace AiGateway.MockProvider.Chat;

/// <summary><c>stream_options</c> of a chat request.</summary>
internal sealed class ChatStreamOptions
{
    public bool? IncludeUsage { get; init; }
}
