using System.Globalization;
using System.Text;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using AiGateway.EnvoyHarness.Routing;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;
using Metadata = Envoy.Config.Core.V3.Metadata;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// <c>envoy.filters.http.ratelimit</c> with filter-level <c>rate_limits</c> (envoy-protocol.md §3): builds descriptors
/// from the actions, makes one <c>ShouldRateLimit</c> call per request (none without descriptors), answers 429 (or
/// <c>rate_limited_status</c>) on OVER_LIMIT with <c>x-envoy-ratelimited</c>, fails open unless
/// <c>failure_mode_deny</c>, adds <c>x-ratelimit-*</c> headers when enabled, and sends the
/// <c>apply_on_stream_done</c> entries (with the final dynamic metadata) when the request ends, ignoring the answer.
/// Stats: <c>cluster.&lt;cluster&gt;.ratelimit.ok|over_limit|error|failure_mode_allowed</c>.
/// </summary>
internal sealed class RateLimitFilter(RateLimitFilterConfig config, HarnessRuntime runtime) : IHttpFilter
{
    private EnvoyHarnessStats Stats => runtime.Stats;

    private static readonly (string Name, long Seconds)[] Windows = [("UNKNOWN", 0), ("SECOND", 1), ("MINUTE", 60), ("HOUR", 3600), ("DAY", 86400), ("MONTH", 2592000), ("YEAR", 31536000), ("WEEK", 604800)];

    private RateLimitService.RateLimitServiceClient Client => new(runtime.Channels.Get(config.ClusterName, config.TargetUri));

    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var state = context.Request;
        var route = state.GetRoute(request.Headers);
        if (route?.Action is not { } action)
        {
            return await next(context, request, cancellationToken);
        }

        var cluster = action.Cluster ?? (action.ClusterHeader is { } header ? request.Headers.Get(header) : null);
        var statPrefix = $"cluster.{cluster}.ratelimit.";
        var descriptors = Descriptors(applyOnStreamDone: false, request.Headers, state, cluster);
        if (config.RateLimits.Any(r => r.ApplyOnStreamDone))
        {
            state.RegisterForDispose(new StreamDoneCall(this, request.Headers, state, cluster));
        }

        if (descriptors.Count == 0)
        {
            return await next(context, request, cancellationToken);
        }

        RateLimitResponse answer;
        try
        {
            answer = await CallAsync(descriptors, cancellationToken);
        }
        catch (RpcException)
        {
            runtime.Stats.Increment(statPrefix + "error");
            if (config.FailureModeDeny)
            {
                return LocalReplies.Create(config.StatusOnError, string.Empty, "rate_limiter_error");
            }

            runtime.Stats.Increment(statPrefix + "failure_mode_allowed");
            return await next(context, request, cancellationToken);
        }

        if (answer.OverallCode == RateLimitResponse.Types.Code.OverLimit)
        {
            runtime.Stats.Increment(statPrefix + "over_limit");
            var headers = new HeaderMap();
            foreach (var added in answer.ResponseHeadersToAdd)
            {
                headers.Set(added.Key, added.Value);
            }

            if (!config.DisableXEnvoyRateLimitedHeader)
            {
                headers.Set("x-envoy-ratelimited", "true");
            }

            AddXRateLimitHeaders(headers, answer);
            return LocalReplies.Create(config.RateLimitedStatus, answer.RawBody.ToByteArray(), headers, "request_rate_limited", LocalReplyOrigin.Downstream);
        }

        runtime.Stats.Increment(statPrefix + "ok");
        foreach (var added in answer.RequestHeadersToAdd)
        {
            request.Headers.Append(added.Key, added.Value);
        }

        var response = await next(context, request, cancellationToken);
        foreach (var added in answer.ResponseHeadersToAdd)
        {
            response.Headers.Append(added.Key, added.Value);
        }

        AddXRateLimitHeaders(response.Headers, answer);
        return response;
    }

    private async Task<RateLimitResponse> CallAsync(List<RateLimitDescriptor> descriptors, CancellationToken cancellationToken)
    {
        var call = new RateLimitRequest { Domain = config.Domain };
        call.Descriptors.Add(descriptors);
        DateTime? deadline = config.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        return await Client.ShouldRateLimitAsync(call, deadline: deadline, cancellationToken: cancellationToken);
    }

    private List<RateLimitDescriptor> Descriptors(bool applyOnStreamDone, HeaderMap headers, RequestState state, string? cluster)
    {
        var metadata = state.SnapshotDynamicMetadata();
        var descriptors = new List<RateLimitDescriptor>();
        foreach (var entry in config.RateLimits.Where(r => r.ApplyOnStreamDone == applyOnStreamDone))
        {
            if (Build(entry, headers, state, metadata, cluster) is { } descriptor)
            {
                descriptors.Add(descriptor);
            }
        }

        return descriptors;
    }

    /// <summary>One descriptor, or null when an action cannot produce its entry (or the addend format yields nothing valid).</summary>
    private static RateLimitDescriptor? Build(RateLimitEntryConfig entry, HeaderMap headers, RequestState state, Metadata metadata, string? cluster)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var action in entry.Actions)
        {
            string? value;
            switch (action.Kind)
            {
                case RateLimitActionKind.RequestHeaders:
                    value = headers.Get(action.HeaderName!);
                    if (value is null && action.SkipIfAbsent)
                    {
                        continue;
                    }

                    break;
                case RateLimitActionKind.GenericKey:
                    value = action.DescriptorValue;
                    break;
                case RateLimitActionKind.HeaderValueMatch:
                    var matches = action.Headers!.All(h => RouteTable.HeaderMatches(h, headers));
                    value = matches == action.ExpectMatch ? action.DescriptorValue : null;
                    break;
                case RateLimitActionKind.RemoteAddress:
                    value = state.RemoteAddress;
                    break;
                case RateLimitActionKind.DestinationCluster:
                    value = cluster;
                    break;
                case RateLimitActionKind.Metadata:
                    value = Lookup(metadata, action.MetadataPath!) ?? action.DefaultValue;
                    if (value is null && action.SkipIfAbsent)
                    {
                        continue;
                    }

                    break;
                default:
                    value = null;
                    break;
            }

            if (value is null)
            {
                return null;
            }

            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = action.DescriptorKey, Value = value });
        }

        if (descriptor.Entries.Count == 0)
        {
            return null;
        }

        if (entry.HitsAddendNumber is { } number)
        {
            descriptor.HitsAddend = number;
        }
        else if (entry.HitsAddendFormat is { } format)
        {
            var text = format.Format(metadata, headers.Get);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hits) || hits < 0 || hits > 1e9 || double.IsNaN(hits))
            {
                return null;
            }

            descriptor.HitsAddend = (ulong)Math.Truncate(hits);
        }

        descriptor.IsNegativeHits = entry.IsNegativeHits;
        if (entry.Limit is { } limit)
        {
            descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = limit.RequestsPerUnit, Unit = (Envoy.Type.V3.RateLimitUnit)limit.Unit };
        }

        return descriptor;
    }

    /// <summary>Only string values produce entries (numbers are not converted), as in Envoy.</summary>
    private static string? Lookup(Metadata metadata, IReadOnlyList<string> path)
    {
        if (!metadata.FilterMetadata.TryGetValue(path[0], out var current))
        {
            return null;
        }

        Value? value = null;
        for (var i = 1; i < path.Count; i++)
        {
            if (current is null || !current.Fields.TryGetValue(path[i], out value))
            {
                return null;
            }

            current = value.KindCase == Value.KindOneofCase.StructValue ? value.StructValue : null;
        }

        return value?.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;
    }

    /// <summary>DRAFT_VERSION_03: from the status with a limit and the least remaining (first on a tie).</summary>
    private void AddXRateLimitHeaders(HeaderMap headers, RateLimitResponse answer)
    {
        if (!config.XRateLimitHeaders)
        {
            return;
        }

        RateLimitResponse.Types.DescriptorStatus? picked = null;
        var limits = new StringBuilder();
        foreach (var status in answer.Statuses.Where(s => s.CurrentLimit is not null))
        {
            if (picked is null || status.LimitRemaining < picked.LimitRemaining)
            {
                picked = status;
            }

            var window = (int)status.CurrentLimit.Unit is var unit && unit >= 0 && unit < Windows.Length ? Windows[unit].Seconds : 0;
            if (window == 0)
            {
                continue;
            }

            limits.Append(CultureInfo.InvariantCulture, $", {status.CurrentLimit.RequestsPerUnit};w={window}");
            if (status.CurrentLimit.Name.Length > 0)
            {
                limits.Append(CultureInfo.InvariantCulture, $";name=\"{status.CurrentLimit.Name}\"");
            }
        }

        if (picked is null)
        {
            return;
        }

        headers.Set("x-ratelimit-limit", picked.CurrentLimit.RequestsPerUnit.ToString(CultureInfo.InvariantCulture) + limits);
        headers.Set("x-ratelimit-remaining", picked.LimitRemaining.ToString(CultureInfo.InvariantCulture));
        headers.Set("x-ratelimit-reset", (picked.DurationUntilReset?.Seconds ?? 0).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The stream-done call: made when the request ends (Envoy's onDestroy), answer ignored.</summary>
    private sealed class StreamDoneCall(RateLimitFilter filter, HeaderMap headers, RequestState state, string? cluster) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            var descriptors = filter.Descriptors(applyOnStreamDone: true, headers, state, cluster);
            if (descriptors.Count == 0)
            {
                return;
            }

            try
            {
                await filter.CallAsync(descriptors, CancellationToken.None);
                filter.Stats.Increment($"cluster.{cluster}.ratelimit.stream_done_calls");
            }
            catch (RpcException)
            {
                filter.Stats.Increment($"cluster.{cluster}.ratelimit.stream_done_errors");
            }
        }
    }
}
