using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using AiGateway.EnvoyHarness.Routing;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;
using Metadata = Envoy.Config.Core.V3.Metadata;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// <c>envoy.filters.http.ratelimit</c> (envoy-protocol.md §3). Descriptor rules come from, first match wins: the route's
/// (or virtual host's, or route table's) <c>RateLimitPerRoute.rate_limits</c>, the filter-level <c>rate_limits</c>, or the
/// legacy route + virtual host <c>rate_limits</c> of the filter's <c>stage</c>. One <c>ShouldRateLimit</c> call per request
/// (none without descriptors) answers 429 (or <c>rate_limited_status</c>) on OVER_LIMIT when enforced, fails open unless
/// <c>failure_mode_deny</c>, adds <c>x-ratelimit-*</c> headers per filter/entry setting, and sends the
/// <c>apply_on_stream_done</c> entries (with the final dynamic metadata) when the request ends, ignoring the answer.
/// Stats: <c>cluster.&lt;cluster&gt;.ratelimit.ok|over_limit|error|failure_mode_allowed</c>, plus the harness's own
/// <c>stream_done_calls|stream_done_errors</c>.
/// </summary>
internal sealed class RateLimitFilter : IHttpFilter
{
    private static readonly long[] WindowSeconds = [0, 1, 60, 3600, 86400, 2592000, 31536000, 604800];

    private readonly RateLimitFilterConfig _config;
    private readonly HarnessRuntime _runtime;
    private readonly Dictionary<object, RateLimitPerRouteConfig> _perRoute = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<RouteConfig, VirtualHostConfig> _hostOf = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<RateLimitEntryConfig> _disabled = new(ReferenceEqualityComparer.Instance);

    public RateLimitFilter(RateLimitFilterConfig config, HarnessRuntime runtime)
    {
        _config = config;
        _runtime = runtime;
        var table = runtime.Bootstrap.Listener.ConnectionManager.RouteConfig;
        ReadPerRoute(table, table.TypedPerFilterConfig);
        NoteIgnoredFields(config.RateLimits, legacy: false, "filter-level rate_limits");
        foreach (var host in table.VirtualHosts)
        {
            ReadPerRoute(host, host.TypedPerFilterConfig);
            ReadLegacy(host.RateLimits, $"virtual host '{host.Name}'");
            foreach (var route in host.Routes)
            {
                _hostOf[route] = host;
                ReadPerRoute(route, route.TypedPerFilterConfig);
                ReadLegacy(route.Action?.RateLimits ?? [], $"route '{route.Name}'");
            }
        }
    }

    private EnvoyHarnessStats Stats => _runtime.Stats;

    private RateLimitService.RateLimitServiceClient Client => new(_runtime.Channels.Get(_config.ClusterName, _config.TargetUri));

    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var state = context.Request;
        if (!_config.Enabled || !AppliesTo(request.Headers) || PlanFor(state, request.Headers) is not { } plan)
        {
            return await next(context, request, cancellationToken);
        }

        var streamDone = new StreamDoneCall(this, plan, request.Headers, state);
        state.RegisterForDispose(streamDone);
        var built = Descriptors(plan, onStreamDone: false, request.Headers, state);
        if (built.Count == 0)
        {
            return await next(context, request, cancellationToken);
        }

        var statPrefix = $"cluster.{plan.Cluster}.ratelimit.";
        RateLimitResponse answer;
        try
        {
            answer = await CallAsync(plan.Domain, built.Select(b => b.Descriptor), RequestHitsAddend(state), cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Envoy cancels a pending call when the stream dies, and then makes no stream-done call.
            streamDone.Cancelled = true;
            throw;
        }
        catch (Grpc.Core.RpcException)
        {
            Stats.Increment(statPrefix + "error");
            if (_config.FailureModeDeny)
            {
                return LocalReplies.Create(_config.StatusOnError, string.Empty, "rate_limiter_error");
            }

            Stats.Increment(statPrefix + "failure_mode_allowed");
            return await next(context, request, cancellationToken);
        }

        if (answer.DynamicMetadata is { Fields.Count: > 0 } dynamicMetadata)
        {
            state.MergeDynamicMetadata(_config.MetadataNamespace, dynamicMetadata);
        }

        var responseHeaders = new HeaderMap();
        foreach (var added in answer.ResponseHeadersToAdd)
        {
            responseHeaders.Append(added.Key, added.Value);
        }

        var overLimit = answer.OverallCode == RateLimitResponse.Types.Code.OverLimit;
        Stats.Increment(statPrefix + (overLimit ? "over_limit" : "ok"));
        if (overLimit && !_config.DisableXEnvoyRateLimitedHeader)
        {
            responseHeaders.Set("x-envoy-ratelimited", "true");
        }

        AddXRateLimitHeaders(responseHeaders, answer, built.Select(b => b.Option).ToArray());
        if (overLimit && _config.Enforced)
        {
            var reply = LocalReplies.Create(_config.RateLimitedStatus, answer.RawBody.ToByteArray(), responseHeaders, "request_rate_limited", LocalReplyOrigin.Downstream);
            HeaderMutationFilter.Apply(_config.ResponseHeadersToAdd, reply.Headers, state, request.Headers);
            return reply;
        }

        foreach (var added in answer.RequestHeadersToAdd)
        {
            request.Headers.Append(added.Key, added.Value);
        }

        var response = await next(context, request, cancellationToken);
        foreach (var (name, value) in responseHeaders.Entries)
        {
            response.Headers.Append(name, value);
        }

        return response;
    }

    /// <summary><c>request_type</c>: internal requests are those with <c>x-envoy-internal: true</c>.</summary>
    private bool AppliesTo(HeaderMap headers)
    {
        var isInternal = headers.Get("x-envoy-internal") == "true";
        return _config.RequestType switch
        {
            RateLimitRequestType.Internal => isInternal,
            RateLimitRequestType.External => !isInternal,
            _ => true,
        };
    }

    /// <summary>The route, cluster, per-route config and domain captured at request time and reused at stream done.</summary>
    private Plan? PlanFor(RequestState state, HeaderMap headers)
    {
        var route = state.GetRoute(headers);
        if (route?.Action is not { } action)
        {
            return null;
        }

        var cluster = action.Cluster ?? (action.ClusterHeader is { } header ? headers.Get(header) : null);
        if (cluster is null || !_runtime.Bootstrap.Clusters.ContainsKey(cluster))
        {
            return null;
        }

        var host = _hostOf[route];
        var perRoute = _perRoute.GetValueOrDefault(route) ?? _perRoute.GetValueOrDefault(host) ?? _perRoute.GetValueOrDefault(_runtime.Routes.Config);
        var vh = action.IncludeVhRateLimits ? VhRateLimitsOption.Include : perRoute?.VhRateLimits ?? VhRateLimitsOption.Override;
        return new Plan(route, host, cluster, perRoute, vh, perRoute?.Domain ?? _config.Domain);
    }

    /// <summary>§3.1: per-route rate_limits, else filter-level rate_limits, else the legacy route + virtual host entries.</summary>
    private IEnumerable<(RateLimitEntryConfig Entry, bool Legacy)> EntriesFor(Plan plan, bool onStreamDone)
    {
        IEnumerable<(RateLimitEntryConfig, bool)> entries;
        if (plan.PerRoute is { RateLimits.Count: > 0 } perRoute)
        {
            entries = perRoute.RateLimits.Select(e => (e, false));
        }
        else if (_config.RateLimits.Count > 0)
        {
            entries = _config.RateLimits.Select(e => (e, false));
        }
        else
        {
            var routeEntries = plan.Route.Action!.RateLimits;
            var includeHost = plan.VhRateLimits == VhRateLimitsOption.Include || (plan.VhRateLimits == VhRateLimitsOption.Override && routeEntries.Count == 0);
            entries = routeEntries.Concat(includeHost ? plan.Host.RateLimits : [])
                .Where(e => e.Stage == _config.Stage && !_disabled.Contains(e))
                .Select(e => (e, true));
        }

        return entries.Where(e => e.Item1.ApplyOnStreamDone == onStreamDone);
    }

    private List<(RateLimitDescriptor Descriptor, XRateLimitOption Option)> Descriptors(Plan plan, bool onStreamDone, HeaderMap headers, RequestState state)
    {
        var metadata = state.SnapshotDynamicMetadata();
        var descriptors = new List<(RateLimitDescriptor, XRateLimitOption)>();
        foreach (var (entry, legacy) in EntriesFor(plan, onStreamDone))
        {
            if (Build(entry, legacy, headers, state, metadata, plan) is { } descriptor)
            {
                descriptors.Add((descriptor, entry.XRateLimitOption));
            }
        }

        return descriptors;
    }

    private async Task<RateLimitResponse> CallAsync(string domain, IEnumerable<RateLimitDescriptor> descriptors, uint hitsAddend, CancellationToken cancellationToken)
    {
        var call = new RateLimitRequest { Domain = domain, HitsAddend = hitsAddend };
        call.Descriptors.Add(descriptors);
        DateTime? deadline = _config.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        return await Client.ShouldRateLimitAsync(call, deadline: deadline, cancellationToken: cancellationToken);
    }

    /// <summary>The request-level addend: filter state <c>envoy.ratelimit.hits_addend</c> when it parses as a uint32, else 0.</summary>
    private static uint RequestHitsAddend(RequestState state) =>
        state.FilterState.TryGetValue(SetFilterStateFilter.HitsAddendKey, out var text)
        && uint.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var addend)
            ? addend
            : 0;

    /// <summary>One descriptor, or null when an action cannot produce its entry (or the addend format yields nothing valid).</summary>
    private RateLimitDescriptor? Build(RateLimitEntryConfig entry, bool legacy, HeaderMap headers, RequestState state, Metadata metadata, Plan plan)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var action in entry.Actions)
        {
            var value = action.Kind switch
            {
                RateLimitActionKind.RequestHeaders => headers.Get(action.HeaderName!),
                RateLimitActionKind.QueryParameters => QueryParameter(headers.Get(":path"), action.HeaderName!),
                RateLimitActionKind.GenericKey => action.DescriptorValue,
                RateLimitActionKind.HeaderValueMatch => action.Headers!.All(h => RouteTable.HeaderMatches(h, headers)) == action.ExpectMatch ? action.DescriptorValue : null,
                RateLimitActionKind.RemoteAddress => state.RemoteAddress,
                RateLimitActionKind.MaskedRemoteAddress => Masked(state.RemoteAddress, action.V4PrefixLength, action.V6PrefixLength),
                RateLimitActionKind.DestinationCluster => plan.Cluster,
                RateLimitActionKind.Metadata => Lookup(MetadataSource(action.MetadataSource, metadata, plan), action.MetadataPath!) ?? action.DefaultValue,
                _ => null,
            };
            if (value is null && action.SkipIfAbsent && action.Kind is RateLimitActionKind.RequestHeaders or RateLimitActionKind.QueryParameters or RateLimitActionKind.Metadata)
            {
                continue;
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

        if (!legacy && !TryApplyHitsAddend(entry, descriptor, headers, metadata))
        {
            return null;
        }

        if (entry.Limit is { } limit && Override(limit, metadata) is { } limitOverride)
        {
            descriptor.Limit = limitOverride;
        }

        return descriptor;
    }

    /// <summary>§3.4: a fixed number, or a format whose result must be a number 0…1e9 (fractions truncated).</summary>
    private static bool TryApplyHitsAddend(RateLimitEntryConfig entry, RateLimitDescriptor descriptor, HeaderMap headers, Metadata metadata)
    {
        if (entry.HitsAddendNumber is { } number)
        {
            descriptor.HitsAddend = number;
        }
        else if (entry.HitsAddendFormat is { } format)
        {
            var text = format.Format(metadata, headers.Get);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hits) || double.IsNaN(hits) || hits < 0 || hits > 1e9)
            {
                return false;
            }

            descriptor.HitsAddend = (ulong)Math.Truncate(hits);
        }

        descriptor.IsNegativeHits = entry.IsNegativeHits;
        return true;
    }

    /// <summary>§3.3 <c>limit</c>: static, or a metadata struct with number <c>requests_per_unit</c> and a RateLimitUnit name in <c>unit</c>; otherwise none.</summary>
    private static RateLimitDescriptor.Types.RateLimitOverride? Override(RateLimitOverrideConfig limit, Metadata metadata)
    {
        if (limit.Static is { } fixedLimit)
        {
            return new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = fixedLimit.RequestsPerUnit, Unit = (Envoy.Type.V3.RateLimitUnit)fixedLimit.Unit };
        }

        if (LookupValue(metadata, limit.DynamicMetadataPath!) is not { KindCase: Value.KindOneofCase.StructValue } value
            || !value.StructValue.Fields.TryGetValue("requests_per_unit", out var requests) || requests.KindCase != Value.KindOneofCase.NumberValue
            || !value.StructValue.Fields.TryGetValue("unit", out var unit) || unit.KindCase != Value.KindOneofCase.StringValue
            || Array.IndexOf(RateLimitConfigReader.OverrideUnits, unit.StringValue) is var unitNumber && unitNumber < 0)
        {
            return null;
        }

        return new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = (uint)requests.NumberValue, Unit = (Envoy.Type.V3.RateLimitUnit)unitNumber };
    }

    private Metadata MetadataSource(RateLimitMetadataSource source, Metadata dynamicMetadata, Plan plan) => source switch
    {
        RateLimitMetadataSource.RouteEntry => plan.Route.Metadata,
        RateLimitMetadataSource.ClusterEntry => _runtime.Bootstrap.Clusters[plan.Cluster].Metadata,
        _ => dynamicMetadata,
    };

    /// <summary>Only non-empty string values produce entries (numbers are not converted), as in Envoy.</summary>
    private static string? Lookup(Metadata metadata, IReadOnlyList<string> path) =>
        LookupValue(metadata, path) is { KindCase: Value.KindOneofCase.StringValue, StringValue.Length: > 0 } value ? value.StringValue : null;

    private static Value? LookupValue(Metadata metadata, IReadOnlyList<string> path)
    {
        if (!metadata.FilterMetadata.TryGetValue(path[0], out var current))
        {
            return null;
        }

        Value? value = path.Count == 1 ? Value.ForStruct(current) : null;
        for (var i = 1; i < path.Count; i++)
        {
            if (current is null || !current.Fields.TryGetValue(path[i], out value))
            {
                return null;
            }

            current = value.KindCase == Value.KindOneofCase.StructValue ? value.StructValue : null;
        }

        return value;
    }

    /// <summary>The first value of a query parameter in <c>:path</c>, percent-decoded; null when absent.</summary>
    private static string? QueryParameter(string? path, string name)
    {
        var question = path?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        if (question < 0)
        {
            return null;
        }

        var query = path![(question + 1)..];
        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            query = query[..fragment];
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (key == name)
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    /// <summary><c>masked_remote_address</c>: the peer IP masked to the prefix, as CIDR (e.g. <c>10.0.0.0/16</c>).</summary>
    private static string? Masked(string? address, int v4PrefixLength, int v6PrefixLength)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var prefix = ip.AddressFamily == AddressFamily.InterNetwork ? v4PrefixLength : v6PrefixLength;
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// DRAFT_VERSION_03 (§3.7): from the status with a limit and the least remaining (first on a tie); per-entry
    /// <c>x_ratelimit_option</c> matched by index. If the picked entry is off, no headers; else the list holds the entries on.
    /// </summary>
    private void AddXRateLimitHeaders(HeaderMap headers, RateLimitResponse answer, IReadOnlyList<XRateLimitOption> options)
    {
        bool IsOn(int index) => (index < options.Count ? options[index] : XRateLimitOption.Unspecified) switch
        {
            XRateLimitOption.Off => false,
            XRateLimitOption.DraftVersion03 => true,
            _ => _config.XRateLimitHeaders,
        };

        int? picked = null;
        for (var i = 0; i < answer.Statuses.Count; i++)
        {
            if (answer.Statuses[i].CurrentLimit is not null && (picked is null || answer.Statuses[i].LimitRemaining < answer.Statuses[picked.Value].LimitRemaining))
            {
                picked = i;
            }
        }

        if (picked is not { } index || !IsOn(index))
        {
            return;
        }

        var limits = new StringBuilder();
        for (var i = 0; i < answer.Statuses.Count; i++)
        {
            var limit = answer.Statuses[i].CurrentLimit;
            var unit = (int)(limit?.Unit ?? 0);
            var window = unit > 0 && unit < WindowSeconds.Length ? WindowSeconds[unit] : 0;
            if (limit is null || window == 0 || !IsOn(i))
            {
                continue;
            }

            limits.Append(CultureInfo.InvariantCulture, $", {limit.RequestsPerUnit};w={window}");
            if (limit.Name.Length > 0)
            {
                limits.Append(CultureInfo.InvariantCulture, $";name=\"{limit.Name}\"");
            }
        }

        var status = answer.Statuses[index];
        headers.Set("x-ratelimit-limit", status.CurrentLimit.RequestsPerUnit.ToString(CultureInfo.InvariantCulture) + limits);
        headers.Set("x-ratelimit-remaining", status.LimitRemaining.ToString(CultureInfo.InvariantCulture));
        headers.Set("x-ratelimit-reset", (status.DurationUntilReset?.Seconds ?? 0).ToString(CultureInfo.InvariantCulture));
    }

    private void ReadPerRoute(object scope, IReadOnlyDictionary<string, PerFilterConfig> configs)
    {
        if (!configs.TryGetValue(_config.FilterName, out var perFilter))
        {
            return;
        }

        if (!RateLimitConfigReader.IsPerRoute(perFilter.Config))
        {
            throw new NotSupportedException($"{perFilter.YamlPath}: the rate limit filter's per-route config must be a RateLimitPerRoute.");
        }

        var config = RateLimitConfigReader.ReadPerRoute(perFilter.Config, perFilter.YamlPath);
        NoteIgnoredFields(config.RateLimits, legacy: false, perFilter.YamlPath);
        _perRoute[scope] = config;
    }

    /// <summary>Legacy entries: <c>disable_key</c> is resolved against the static runtime once (ratelimit.&lt;key&gt;.http_filter_enabled).</summary>
    private void ReadLegacy(IReadOnlyList<RateLimitEntryConfig> entries, string where)
    {
        NoteIgnoredFields(entries, legacy: true, where);
        foreach (var entry in entries.Where(e => e.DisableKey is not null))
        {
            if (!_runtime.Bootstrap.Runtime.FeatureEnabled($"ratelimit.{entry.DisableKey}.http_filter_enabled", 100, $"{where} rate_limits disable_key"))
            {
                _disabled.Add(entry);
            }
        }
    }

    /// <summary>Envoy ignores these fields on the given path; the harness does too, and says so.</summary>
    private void NoteIgnoredFields(IReadOnlyList<RateLimitEntryConfig> entries, bool legacy, string where)
    {
        if (legacy && entries.Any(e => e.HasHitsAddend))
        {
            _runtime.Notes.Add($"{_config.FilterName}: hits_addend on {where} is ignored (Envoy honours it only in per-route and filter-level rate_limits).");
        }

        if (!legacy && entries.Any(e => e.Stage != 0 || e.DisableKey is not null))
        {
            _runtime.Notes.Add($"{_config.FilterName}: stage/disable_key on {where} are ignored (Envoy honours them only on route and virtual host rate_limits).");
        }
    }

    private sealed record Plan(RouteConfig Route, VirtualHostConfig Host, string Cluster, RateLimitPerRouteConfig? PerRoute, VhRateLimitsOption VhRateLimits, string Domain);

    /// <summary>The stream-done call: made when the request ends (Envoy's onDestroy), answer ignored; none if the request-time call was cancelled.</summary>
    private sealed class StreamDoneCall(RateLimitFilter filter, Plan plan, HeaderMap headers, RequestState state) : IAsyncDisposable
    {
        public bool Cancelled { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Cancelled)
            {
                return;
            }

            var built = filter.Descriptors(plan, onStreamDone: true, headers, state);
            if (built.Count == 0)
            {
                return;
            }

            try
            {
                await filter.CallAsync(plan.Domain, built.Select(b => b.Descriptor), RequestHitsAddend(state), CancellationToken.None);
                filter.Stats.Increment($"cluster.{plan.Cluster}.ratelimit.stream_done_calls");
            }
            catch (Grpc.Core.RpcException)
            {
                filter.Stats.Increment($"cluster.{plan.Cluster}.ratelimit.stream_done_errors");
            }
        }
    }
}
