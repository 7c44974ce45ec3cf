using Grpc.Core;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>A server call context for calling the gRPC service object directly.</summary>
public sealed class TestCallContext(DateTime deadline, CancellationToken cancellationToken) : ServerCallContext
{
    protected override string MethodCore => "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit";

    protected override string HostCore => "localhost";

    protected override string PeerCore => "test";

    protected override DateTime DeadlineCore => deadline;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
