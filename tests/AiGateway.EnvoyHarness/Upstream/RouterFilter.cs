using System.Globalization;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>
/// <c>envoy.filters.http.router</c>: route (direct_response or cluster), then attempts through the cluster's upstream
/// filter chain with retries and priority failover. The body after the router-level filters is kept for retries and
/// every attempt gets a fresh copy, while all attempts share the router's header map (envoy-protocol.md §2.16).
/// </summary>
internal sealed class RouterFilter(HarnessRuntime runtime) : IHttpFilter
{
    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var state = context.Request;
        var route = state.GetRoute(request.Headers);
        if (route is null)
        {
            return LocalReplies.Create(404, string.Empty, "route_not_found");
        }

        if (route.DirectResponse is { } direct)
        {
            return LocalReplies.Create(direct.Status, direct.Body, "direct_response");
        }

        var action = route.Action!;
        var clusterName = action.Cluster ?? request.Headers.Get(action.ClusterHeader!);
        if (clusterName is null || runtime.Clusters.Get(clusterName) is not { } cluster)
        {
            return LocalReplies.Create(503, string.Empty, "cluster_not_found");
        }

        state.ClusterName = clusterName;
        var body = request.Body is null ? null : await BodyStreams.ReadAllAsync(request.Body, long.MaxValue, cancellationToken);
        var timeout = new CancellationTokenSource(action.Timeout > TimeSpan.Zero ? action.Timeout : Timeout.InfiniteTimeSpan, state.TimeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        state.RegisterForDispose(linked);
        state.RegisterForDispose(timeout);
        if (action.Timeout > TimeSpan.Zero)
        {
            request.Headers.Set("x-envoy-expected-rq-timeout-ms", ((long)action.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        var policy = action.RetryPolicy;
        var selector = new HostSelector(cluster, policy);
        var maxAttempts = 1 + (policy?.NumRetries ?? 0);
        var started = state.TimeProvider.GetTimestamp();
        for (var number = 1; ; number++)
        {
            if (selector.Choose() is not { } host)
            {
                return LocalReplies.Create(503, "no healthy upstream", "no_healthy_upstream");
            }

            state.Stats.Increment($"cluster.{clusterName}.upstream_rq_total");
            if (number > 1)
            {
                state.Stats.Increment($"cluster.{clusterName}.upstream_rq_retry");
            }

            var attemptContext = context with { Attempt = new UpstreamAttempt(cluster.Config, host, number) };
            var attemptRequest = new HarnessRequest(request.Headers, body is null ? null : BodyStreams.FromBytes(body.AsSpan().ToArray()));
            HarnessResponse? response = null;
            UpstreamFailureKind? failure = null;
            try
            {
                response = await cluster.Pipeline.InvokeAsync(attemptContext, attemptRequest, linked.Token);
            }
            catch (UpstreamFailureException exception)
            {
                failure = exception.Kind;
                state.Stats.Increment($"cluster.{clusterName}.{(failure == UpstreamFailureKind.ConnectFailure ? "upstream_cx_connect_fail" : "upstream_rq_reset")}");
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Record(state, attemptContext.Attempt, "timeout");
                state.Stats.Increment($"cluster.{clusterName}.upstream_rq_timeout");
                return LocalReplies.Create(504, "upstream request timeout", "upstream_response_timeout");
            }

            if (response is { Origin: LocalReplyOrigin.UpstreamFilter })
            {
                // An upstream filter's own reply goes to the client as it is: never retried (envoy-protocol.md §2.15).
                Record(state, attemptContext.Attempt, $"local-reply:{response.Status}");
                return response;
            }

            if (response is not null)
            {
                state.Stats.Increment($"cluster.{clusterName}.upstream_rq_{response.Status}");
            }

            Record(state, attemptContext.Attempt, failure switch
            {
                UpstreamFailureKind.ConnectFailure => "connect-failure",
                UpstreamFailureKind.Reset => "reset",
                _ => $"status:{response!.Status}",
            });
            if (number < maxAttempts && ShouldRetry(policy, response?.Status, failure))
            {
                continue;
            }

            if (failure is { } kind)
            {
                var reason = kind == UpstreamFailureKind.ConnectFailure ? "connection_failure" : "connection_termination";
                return LocalReplies.Create(
                    503,
                    $"upstream connect error or disconnect/reset before headers. reset reason: {reason.Replace('_', ' ')}",
                    $"upstream_reset_before_response_started{{{reason}}}");
            }

            var elapsed = state.TimeProvider.GetElapsedTime(started);
            response!.Headers.Set("x-envoy-upstream-service-time", ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            return response;
        }
    }

    private static void Record(RequestState state, UpstreamAttempt attempt, string outcome) =>
        state.AddAttempt(new HarnessAttemptRecord(
            attempt.Number,
            attempt.Cluster.Name,
            attempt.Host.Address,
            attempt.Host.Priority,
            MetadataConverter.ToDictionary(attempt.Host.Metadata),
            outcome));

    private static bool ShouldRetry(RetryPolicyConfig? policy, int? status, UpstreamFailureKind? failure)
    {
        if (policy is null)
        {
            return false;
        }

        var on = policy.RetryOn;
        if (failure is { } kind)
        {
            return on.Contains("5xx") || on.Contains("gateway-error") || on.Contains("reset")
                || (kind == UpstreamFailureKind.ConnectFailure && on.Contains("connect-failure"));
        }

        return status switch
        {
            >= 500 when on.Contains("5xx") => true,
            502 or 503 or 504 when on.Contains("gateway-error") => true,
            { } code when on.Contains("retriable-status-codes") && policy.RetriableStatusCodes.Contains(code) => true,
            _ => false,
        };
    }
}
