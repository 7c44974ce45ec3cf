using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AiGateway.RateLimit.Telemetry;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>A meter factory plus a listener that sums one test's rate-limit counters by name and <c>key</c> tag.</summary>
public sealed class MetricRecorder : IMeterFactory
{
    private readonly ConcurrentDictionary<string, long> _sums = new();
    private readonly MeterListener _listener = new();
    private readonly List<Meter> _meters = [];

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            lock (_meters)
            {
                if (_meters.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? key = null;
            foreach (var tag in tags)
            {
                if (tag.Key is "key" or "domain")
                {
                    key = tag.Value as string;
                }
            }

            _sums.AddOrUpdate(Name(instrument.Name, key), value, (_, sum) => sum + value);
        });
        _listener.Start();
        Metrics = new RateLimitMetrics(this);
    }

    public RateLimitMetrics Metrics { get; }

    /// <summary>The sum of a counter, e.g. <c>Sum("total_hits", "gateway.user")</c>; rule counters by their last name part.</summary>
    public long Sum(string name, string? key = null) =>
        _sums.Where(p => p.Key == Name(name, key) || p.Key.EndsWith("." + Name(name, key), StringComparison.Ordinal)).Sum(p => p.Value);

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
    }

    private static string Name(string instrument, string? key) => key is null ? instrument : $"{instrument}|{key}";
}
