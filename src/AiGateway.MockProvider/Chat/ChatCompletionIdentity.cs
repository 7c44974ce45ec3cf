namespace AiGateway.MockProvider.Chat;

/// <summary>The fields shared by a completion and by every chunk of its stream.</summary>
internal sealed record ChatCompletionIdentity(string Id, long Created, string Model)
{
    public const string SystemFingerprint = "fp_mock";
}
