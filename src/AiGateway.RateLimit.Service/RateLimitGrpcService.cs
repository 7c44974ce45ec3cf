using System.Globalization;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Telemetry;
using Envoy.Config.Core.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using WireDescriptor = Envoy.Extensions.Common.Ratelimit.V3.RateLimitDescriptor;
using WireLimit = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.RateLimit;

namespace AiGateway.RateLimit.Service;

/// <summary>
/// <c>envoy.service.ratelimit.v3.RateLimitService</c>: converts the wire request, lets the limiter decide, converts the
/// decision back. A request the service cannot decide (empty domain, no descriptors, no config) fails with gRPC
/// UNKNOWN and the reference's message; a counter store failure or timeout fails with UNAVAILABLE, so Envoy's
/// <c>failure_mode_deny</c> decides. Both are counted.
/// </summary>
public sealed class RateLimitGrpcService(
    FixedWindowLimiter limiter,
    RateLimitMetrics metrics,
    RateLimitServiceOptions options,
    TimeProvider timeProvider,
    ILogger<RateLimitGrpcService> logger) : RateLimitService.RateLimitServiceBase
{
    private static readonly RateLimitResponse.Types.DescriptorStatus NoLimitStatus = new() { Code = RateLimitResponse.Types.Code.Ok };
    private static readonly RateLimitResponse.Types.DescriptorStatus UnlimitedStatus = new() { Code = RateLimitResponse.Types.Code.Ok, LimitRemaining = uint.MaxValue };

    /// <summary>The (empty) message sent before the UNAVAILABLE trailers of a call the store could not decide; clients see only the status.</summary>
    private static readonly RateLimitResponse FailedResponse = new();

    /// <inheritdoc />
    public override async Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (context.CancellationToken.IsCancellationRequested)
        {
            // Envoy gave up already (its timeout, sent as grpc-timeout, has passed while the call waited in a queue):
            // nobody reads the answer, so do not spend Redis work on it. Shedding these is what lets a backlog drain.
            return Abandoned(context);
        }

        var started = timeProvider.GetTimestamp();
        LimitDecision decision;
        try
        {
            decision = await limiter.DecideAsync(ToModel(request), context.CancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitRequestException e)
        {
            metrics.ServiceError();
            Log.CallRejected(logger, e.Message);
            throw new RpcException(new Status(StatusCode.Unknown, e.Message));
        }
        finally
        {
            metrics.Request(timeProvider.GetElapsedTime(started));
        }

        if (decision.StoreFailure is { } failure)
        {
            if (context.CancellationToken.IsCancellationRequested)
            {
                return Abandoned(context);
            }

            // No exception: when Redis misses its deadline it tends to miss it for thousands of calls at once, and
            // throwing for each would cost the CPU the service needs to catch up. The status goes out in the trailers.
            metrics.RedisError();
            Log.StoreFailed(logger, failure);
            context.Status = new Status(StatusCode.Unavailable, failure);
            return FailedResponse;
        }

        return ToResponse(request, decision);
    }

    private RateLimitResponse Abandoned(ServerCallContext context)
    {
        context.Status = new Status(context.Deadline <= timeProvider.GetUtcNow().UtcDateTime ? StatusCode.DeadlineExceeded : StatusCode.Cancelled, "the caller gave up before the call was decided");
        return FailedResponse;
    }

    internal static LimitRequest ToModel(RateLimitRequest request)
    {
        var descriptors = new RequestDescriptor[request.Descriptors.Count];
        for (var i = 0; i < descriptors.Length; i++)
        {
            var wire = request.Descriptors[i];
            var entries = new DescriptorEntry[wire.Entries.Count];
            for (var j = 0; j < entries.Length; j++)
            {
                entries[j] = new DescriptorEntry(wire.Entries[j].Key, wire.Entries[j].Value);
            }

            var limit = wire.Limit is { } o ? new LimitOverride(o.RequestsPerUnit, (RateLimitUnit)(int)o.Unit) : null;
            descriptors[i] = new RequestDescriptor(entries, limit, wire.HitsAddend, wire.IsNegativeHits);
        }

        return new LimitRequest(request.Domain, descriptors, request.HitsAddend);
    }

    private RateLimitResponse ToResponse(RateLimitRequest request, LimitDecision decision)
    {
        var response = new RateLimitResponse { OverallCode = (RateLimitResponse.Types.Code)(int)decision.Code };
        DescriptorDecision? headerSource = null;
        var lowest = uint.MaxValue;
        foreach (var status in decision.Statuses)
        {
            response.Statuses.Add(ToStatus(status));
            if (status.Limit is null)
            {
                continue;
            }

            if (status.Limit.QuotaMode is false && status.Code == LimitCode.OverLimit)
            {
                headerSource = status;
                lowest = 0;
            }
            else if (status.Remaining < lowest)
            {
                headerSource = status;
                lowest = status.Remaining;
            }
        }

        if (options.ResponseHeadersEnabled && headerSource is { } source)
        {
            response.ResponseHeadersToAdd.Add(new HeaderValue { Key = options.LimitHeader, Value = source.Limit!.RequestsPerUnit.ToString(CultureInfo.InvariantCulture) });
            response.ResponseHeadersToAdd.Add(new HeaderValue { Key = options.RemainingHeader, Value = source.Remaining.ToString(CultureInfo.InvariantCulture) });
            response.ResponseHeadersToAdd.Add(new HeaderValue { Key = options.ResetHeader, Value = source.ResetSeconds.ToString(CultureInfo.InvariantCulture) });
        }

        if (options.DynamicMetadataEnabled)
        {
            response.DynamicMetadata = ResponseMetadata.Build(request, decision);
        }

        return response;
    }

    private static RateLimitResponse.Types.DescriptorStatus ToStatus(DescriptorDecision status)
    {
        if (status.Limit is not { } rule)
        {
            return status == DescriptorDecision.Unlimited ? UnlimitedStatus : NoLimitStatus;
        }

        return new RateLimitResponse.Types.DescriptorStatus
        {
            Code = (RateLimitResponse.Types.Code)(int)status.Code,
            CurrentLimit = new WireLimit { RequestsPerUnit = rule.RequestsPerUnit, Unit = (WireLimit.Types.Unit)(int)rule.Unit, Name = rule.Name },
            LimitRemaining = status.Remaining,
            DurationUntilReset = new Duration { Seconds = status.ResetSeconds },
        };
    }

    /// <summary>The reference service's optional response dynamic metadata.</summary>
    private static class ResponseMetadata
    {
        public static Struct Build(RateLimitRequest request, LimitDecision decision)
        {
            var result = new Struct();
            result.Fields["domain"] = Value.ForString(request.Domain);
            var descriptors = new ListValue();
            foreach (var descriptor in request.Descriptors)
            {
                descriptors.Values.Add(Value.ForStruct(Describe(descriptor)));
            }

            result.Fields["descriptors"] = Value.ForList([.. descriptors.Values]);
            if (request.HitsAddend != 0)
            {
                result.Fields["hitsAddend"] = Value.ForNumber(request.HitsAddend);
            }

            var merged = new Struct();
            for (var i = 0; i < decision.Statuses.Length; i++)
            {
                if (decision.Statuses[i].Code == LimitCode.Ok && decision.Matches[i]?.Rule.Metadata is { } metadata)
                {
                    Merge(merged, metadata);
                }
            }

            if (merged.Fields.Count > 0)
            {
                result.Fields["metadata"] = Value.ForStruct(merged);
            }

            return result;
        }

        private static Struct Describe(WireDescriptor descriptor)
        {
            var fields = new Struct();
            fields.Fields["entries"] = Value.ForList([.. descriptor.Entries.Select(e => Value.ForString(e.Key + "=" + e.Value))]);
            if (descriptor.Limit is { } limit)
            {
                fields.Fields["limit"] = Value.ForString($"requests_per_unit:{limit.RequestsPerUnit} unit:{limit.Unit.ToString().ToUpperInvariant()}");
            }

            if (descriptor.HitsAddend is { } hits)
            {
                fields.Fields["hitsAddend"] = Value.ForNumber(hits);
            }

            return fields;
        }

        private static void Merge(Struct into, IReadOnlyDictionary<string, object?> source)
        {
            foreach (var (key, value) in source)
            {
                if (into.Fields.TryGetValue(key, out var existing))
                {
                    if (existing.StructValue is { } nested && value is IReadOnlyDictionary<string, object?> child)
                    {
                        Merge(nested, child);
                    }

                    continue;
                }

                into.Fields[key] = ToValue(value);
            }
        }

        private static Value ToValue(object? value) => value switch
        {
            null => Value.ForNull(),
            string s => Value.ForString(s),
            bool b => Value.ForBool(b),
            double d => Value.ForNumber(d),
            IReadOnlyDictionary<string, object?> map => Value.ForStruct(ToStruct(map)),
            object?[] list => Value.ForList([.. list.Select(ToValue)]),
            _ => Value.ForString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
        };

        private static Struct ToStruct(IReadOnlyDictionary<string, object?> map)
        {
            var result = new Struct();
            foreach (var (key, value) in map)
            {
                result.Fields[key] = ToValue(value);
            }

            return result;
        }
    }
}
