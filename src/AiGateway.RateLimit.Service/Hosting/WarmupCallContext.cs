using Grpc.Core;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>The call context of the warm-up calls, which go straight to the service object (the listeners are not open yet).</summary>
internal sealed class WarmupCallContext(CancellationToken cancellationToken) : ServerCallContext
{
    private readonly Metadata _requestHeaders = [];
    private readonly Metadata _responseTrailers = [];

    protected override string MethodCore => "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit";

    protected override string HostCore => "localhost";

    protected override string PeerCore => "warmup";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _requestHeaders;

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
