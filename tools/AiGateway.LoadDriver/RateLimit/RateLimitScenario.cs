using System.Diagnostics;
using AiGateway.LoadDriver.Measurement;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;

namespace AiGateway.LoadDriver.RateLimit;

/// <summary>One <c>ShouldRateLimit</c> call with N descriptors, as Envoy's rate limit filter makes it, over a few HTTP/2 connections.</summary>
internal sealed class RateLimitScenario : IRequestScenario
{
    private readonly RateLimitService.RateLimitServiceClient[] _clients;
    private readonly RateLimitRequest[] _requests;
    private readonly TimeSpan? _timeout;
    private long _next;

    /// <param name="clients">One client per connection.</param>
    /// <param name="descriptors">Descriptors per call (1 = user; 3 = user, team, model).</param>
    /// <param name="users">Distinct users, so calls spread over that many counters per descriptor.</param>
    /// <param name="timeout">Each call's deadline (sent as grpc-timeout, as Envoy's rate limit filter does with its timeout), or null for none.</param>
    public RateLimitScenario(RateLimitService.RateLimitServiceClient[] clients, int descriptors, int users, TimeSpan? timeout = null)
    {
        _clients = clients;
        _timeout = timeout;
        _requests = new RateLimitRequest[users];
        string[] keys = ["user", "team", "model"];
        for (var u = 0; u < users; u++)
        {
            var request = new RateLimitRequest { Domain = "bench" };
            for (var d = 0; d < descriptors; d++)
            {
                var descriptor = new RateLimitDescriptor();
                descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = keys[d], Value = d == 0 ? "u" + u : keys[d] + (u % 10) });
                request.Descriptors.Add(descriptor);
            }

            _requests[u] = request;
        }
    }

    /// <summary>The YAML the server runs: limits high enough never to be reached.</summary>
    public static string ConfigYaml => """
        # Written by tools/AiGateway.LoadDriver for a rate-limit benchmark run.
        domain: bench
        descriptors:
          - key: user
            rate_limit: { unit: hour, requests_per_unit: 4000000000 }
          - key: team
            rate_limit: { unit: hour, requests_per_unit: 4000000000 }
          - key: model
            rate_limit: { unit: hour, requests_per_unit: 4000000000 }
        """;

    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _next);
        var client = _clients[(uint)n % (uint)_clients.Length];
        var request = _requests[(uint)n % (uint)_requests.Length];
        DateTime? deadline = _timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        var response = await client.ShouldRateLimitAsync(request, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.OverallCode != RateLimitResponse.Types.Code.Ok)
        {
            throw new InvalidOperationException("unexpected OVER_LIMIT");
        }

        return Stopwatch.GetTimestamp();
    }
}
