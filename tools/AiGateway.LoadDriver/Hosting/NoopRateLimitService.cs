using Envoy.Service.Ratelimit.V3;
using Grpc.Core;

namespace AiGateway.LoadDriver.Hosting;

/// <summary>
/// The rate-limit baseline: answers every <c>ShouldRateLimit</c> with OK and one OK status per descriptor, without
/// Redis or any rule. What it costs is what gRPC, Kestrel and the driver cost on this machine.
/// </summary>
internal sealed class NoopRateLimitService : RateLimitService.RateLimitServiceBase
{
    public override Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        var response = new RateLimitResponse { OverallCode = RateLimitResponse.Types.Code.Ok };
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            response.Statuses.Add(new RateLimitResponse.Types.DescriptorStatus { Code = RateLimitResponse.Types.Code.Ok });
        }

        return Task.FromResult(response);
    }
}
