using System.Diagnostics.Metrics;
using AiGateway.Core.Tokens;
using AiGateway.ExtProc.Endpoints;

namespace AiGateway.ExtProc.Telemetry;

/// <summary>Request, token and attempt counters (System.Diagnostics.Metrics; exported on /metrics).</summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "AiGateway.ExtProc";

    // Boxed status codes, so recording a request does not box one every time.
    private static readonly object[] StatusTags = Enumerable.Range(0, 600).Select(code => (object)code).ToArray();

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _attempts;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _piiDetected;
    private readonly Counter<long> _dataMasked;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("ai_gateway_requests", description: "Requests seen by the router-level filter, by endpoint, model, provider and status.");
        _tokens = _meter.CreateCounter<long>("ai_gateway_tokens", description: "Tokens by provider, model and type (input, output, cached_input, cache_write_input, reasoning); estimated=true when the gateway counted them.");
        _cost = _meter.CreateCounter<double>("ai_gateway_cost", description: "Cost of requests in USD at the configured prices, by provider, model and user (the OpenAI user field; none when absent).");
        _piiDetected = _meter.CreateCounter<long>("ai_gateway_pii_detected", description: "Personal data found, by type and direction (request, or response when mask_output is on).");
        _dataMasked = _meter.CreateCounter<long>("ai_gateway_data_masked", description: "Personal data replaced in requests that were forwarded and in answers, by type and direction.");
        _attempts = _meter.CreateCounter<long>("ai_gateway_provider_attempts", description: "Upstream attempts per provider (retries and fallbacks included).");
        _fallbacks = _meter.CreateCounter<long>("ai_gateway_provider_failover", description: "Attempts after the first, i.e. retries and fallbacks, by the provider they went to.");
        _duration = _meter.CreateHistogram<double>(
            "ai_gateway_request_duration",
            unit: "s",
            description: "Time from request headers to the end of the response.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
    }

    internal void RequestCompleted(EndpointRoute route, string? model, string? provider, int status, TokenUsage usage, TimeSpan elapsed)
    {
        var endpoint = new KeyValuePair<string, object?>("endpoint", route.ToString());
        var modelTag = new KeyValuePair<string, object?>("model", model ?? "none");
        var providerTag = new KeyValuePair<string, object?>("provider", provider ?? "none");
        _requests.Add(1, endpoint, modelTag, providerTag, new("status", (uint)status < StatusTags.Length ? StatusTags[status] : status));
        _duration.Record(elapsed.TotalSeconds, endpoint, providerTag);
        if (usage.Reported || usage.Estimated)
        {
            var estimated = new KeyValuePair<string, object?>("estimated", usage.Estimated ? "true" : "false");
            _tokens.Add(usage.InputTokens, modelTag, providerTag, new("type", "input"), estimated);
            _tokens.Add(usage.OutputTokens, modelTag, providerTag, new("type", "output"), estimated);
            if (usage.CachedInputTokens > 0)
            {
                _tokens.Add(usage.CachedInputTokens, modelTag, providerTag, new("type", "cached_input"), estimated);
            }

            if (usage.CacheWriteInputTokens > 0)
            {
                _tokens.Add(usage.CacheWriteInputTokens, modelTag, providerTag, new("type", "cache_write_input"), estimated);
            }

            if (usage.ReasoningTokens > 0)
            {
                _tokens.Add(usage.ReasoningTokens, modelTag, providerTag, new("type", "reasoning"), estimated);
            }
        }
    }

    internal void PiiFound(IReadOnlyDictionary<string, int> found, bool blocked, bool response = false)
    {
        var direction = new KeyValuePair<string, object?>("direction", response ? "response" : "request");
        foreach (var (type, count) in found)
        {
            var tag = new KeyValuePair<string, object?>("type", type);
            _piiDetected.Add(count, tag, direction);
            if (!blocked)
            {
                _dataMasked.Add(count, tag, direction);
            }
        }
    }

    internal void CostRecorded(string provider, string model, string? user, long microUsd) =>
        _cost.Add(microUsd / 1_000_000d, new("provider", provider), new("model", model), new("user", user ?? "none"));

    internal void AttemptStarted(string provider, int attempt)
    {
        var tag = new KeyValuePair<string, object?>("provider", provider);
        _attempts.Add(1, tag);
        if (attempt > 1)
        {
            _fallbacks.Add(1, tag);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
