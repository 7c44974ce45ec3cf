using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Recording;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Everything one mock provider instance shares between requests.</summary>
internal sealed class MockProviderState(MockProviderOptions options)
{
    private long _requestCount;
    private long _chatCount;
    private long _messageCount;

    public MockProviderOptions Options { get; } = options;

    public TimeProvider Time { get; } = options.TimeProvider;

    public RequestRecorder Recorder { get; } = new(options.MaxRecordedRequests);

    /// <summary>Token requests (<c>POST /identity/token</c>), recorded apart from provider requests.</summary>
    public RequestRecorder TokenRequests { get; } = new(options.MaxRecordedRequests);

    public FaultRegistry Faults { get; } = CreateFaults(options.Faults);

    public ApiKeyPolicy ApiKeys { get; } = new(options.RequiredApiKeys);

    /// <summary>Tokens issued by the mock IBM Cloud IAM, the only ones watsonx.ai paths accept.</summary>
    public Identity.IamTokenIssuer IamTokens { get; } = new(options.TimeProvider, options.IamTokenLifetime);

    /// <summary>Tokens issued by the mock Entra ID and Google token endpoints.</summary>
    public IssuedTokens IssuedTokens { get; } = new(options.TimeProvider);

    public BearerTokenPolicy BearerTokens { get; } = new(options.BearerTokenPrefixes);

    /// <summary>1, 2, 3... for every provider request (drives <c>x-request-id</c>).</summary>
    public long NextRequestNumber() => Interlocked.Increment(ref _requestCount);

    /// <summary>1, 2, 3... for every chat completion (drives <c>chatcmpl-mock-&lt;n&gt;</c>).</summary>
    public long NextChatNumber() => Interlocked.Increment(ref _chatCount);

    /// <summary>1, 2, 3... for every Anthropic message (drives <c>msg_mock_&lt;n&gt;</c> and <c>toolu_mock_&lt;n&gt;</c>).</summary>
    public long NextMessageNumber() => Interlocked.Increment(ref _messageCount);

    private static FaultRegistry CreateFaults(IReadOnlyList<FaultRule> rules)
    {
        var registry = new FaultRegistry();
        foreach (var rule in rules)
        {
            registry.Add(rule);
        }

        return registry;
    }
}
