using System.Diagnostics;
using AiGateway.LoadDriver.Protocol;
using Grpc.Core;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>
/// Drives a scenario (<see cref="EnvoySimulator"/>, or one rate-limit call) for warm-up + duration, open loop (fixed rate) or flat out
/// (fixed concurrency), then waits for in-flight requests up to the drain time and cancels the rest.
/// </summary>
internal sealed class LoadRunner
{
    private readonly IRequestScenario _simulator;
    private readonly TimeSpan _warmup;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _drain;
    private readonly int _maxInFlight;
    private int _inFlight;

    public LoadRunner(IRequestScenario simulator, TimeSpan warmup, TimeSpan duration, TimeSpan drain, int maxInFlight)
    {
        _simulator = simulator;
        _warmup = warmup;
        _duration = duration;
        _drain = drain;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Called (on a pool thread) when the measurement window opens and closes.</summary>
    public Action? WindowOpened { get; init; }

    /// <summary>Called when the measurement window closes.</summary>
    public Action? WindowClosed { get; init; }

    /// <summary>
    /// Open loop: request i is due at start + i/rate whether or not earlier ones finished, and its latency
    /// counts from that due time, so a stalled server cannot hide its stall (no coordinated omission).
    /// </summary>
    public async Task<LoadStats> RunAtRateAsync(double rate, CancellationToken cancellationToken)
    {
        var stats = new LoadStats();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (start, windowStart, windowEnd) = Plan();
        var window = WatchWindowAsync(windowStart, windowEnd, stats, cancellationToken);

        var interval = Stopwatch.Frequency / rate;
        // Signalled by the scheduler thread when it is done, so no pool thread sits blocked in Join for the whole run
        // (on a 2-core machine that was one of the pool's two threads, and the driver starved itself under open loop).
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = new Thread(() =>
        {
            try
            {
                Schedule();
            }
            finally
            {
                scheduled.TrySetResult();
            }
        })
        { IsBackground = true, Name = "load-scheduler", Priority = ThreadPriority.AboveNormal };
        scheduler.Start();
        await scheduled.Task.ConfigureAwait(false);

        await window.ConfigureAwait(false);
        await DrainAsync(run).ConfigureAwait(false);
        return stats;

        void Schedule()
        {
            for (long i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                var due = start + (long)(i * interval);
                if (due >= windowEnd)
                {
                    break;
                }

                WaitUntil(due);
                var measured = due >= windowStart;
                if (measured)
                {
                    Interlocked.Increment(ref stats.Started);
                }

                if (Volatile.Read(ref _inFlight) >= _maxInFlight)
                {
                    Fail(stats, measured, $"not started: {_maxInFlight} requests already in flight");
                    continue;
                }

                Interlocked.Increment(ref _inFlight);
                ThreadPool.UnsafeQueueUserWorkItem(
                    static state => _ = state.Runner.RunOneAsync(state.Due, state.Measured, state.WindowStart, state.WindowEnd, state.Stats, state.Token),
                    new WorkItem(this, due, measured, windowStart, windowEnd, stats, run.Token),
                    preferLocal: false);
            }
        }
    }

    /// <summary>Flat out: <paramref name="concurrency"/> loops, each starting its next request when the last one ends.</summary>
    public async Task<LoadStats> RunFlatOutAsync(int concurrency, CancellationToken cancellationToken)
    {
        var stats = new LoadStats();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (start, windowStart, windowEnd) = Plan();
        var window = WatchWindowAsync(windowStart, windowEnd, stats, cancellationToken);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (!run.IsCancellationRequested)
                {
                    var begin = Stopwatch.GetTimestamp();
                    if (begin >= windowEnd)
                    {
                        return;
                    }

                    var measured = begin >= windowStart;
                    if (measured)
                    {
                        Interlocked.Increment(ref stats.Started);
                    }

                    Interlocked.Increment(ref _inFlight);
                    await RunOneAsync(begin, measured, windowStart, windowEnd, stats, run.Token).ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }

        _ = start;
        await window.ConfigureAwait(false);
        await DrainAsync(run).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return stats;
    }

    private (long Start, long WindowStart, long WindowEnd) Plan()
    {
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 20);
        var windowStart = start + Ticks(_warmup);
        var windowEnd = windowStart + Ticks(_duration);
        return (start, windowStart, windowEnd);
    }

    private async Task WatchWindowAsync(long windowStart, long windowEnd, LoadStats stats, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(windowStart, cancellationToken).ConfigureAwait(false);
        WindowOpened?.Invoke();
        await DelayUntilAsync(windowEnd, cancellationToken).ConfigureAwait(false);
        WindowClosed?.Invoke();
        stats.WindowSeconds = Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
    }

    private async Task DrainAsync(CancellationTokenSource run)
    {
        var deadline = Stopwatch.GetTimestamp() + Ticks(_drain);
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        // Whatever is still running has taken longer than the drain time: cancel it (counted as errors).
        await run.CancelAsync().ConfigureAwait(false);
        var hardDeadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < hardDeadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(long due, bool measured, long windowStart, long windowEnd, LoadStats stats, CancellationToken cancellationToken)
    {
        try
        {
            if (measured)
            {
                stats.StartLag.Record(ToNanoseconds(Stopwatch.GetTimestamp() - due));
            }

            var done = await _simulator.RunAsync(cancellationToken).ConfigureAwait(false);
            if (measured)
            {
                stats.Latency.Record(ToNanoseconds(done - due));
            }

            if (done >= windowStart && done < windowEnd)
            {
                Interlocked.Increment(ref stats.CompletedInWindow);
            }
        }
        catch (Exception e) when (e is RpcException or ProtocolException or OperationCanceledException or IOException or InvalidOperationException or HttpRequestException)
        {
            Fail(stats, measured, Describe(e, cancellationToken));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void Fail(LoadStats stats, bool measured, string kind)
    {
        if (measured)
        {
            stats.AddError(kind);
        }
        else
        {
            Interlocked.Increment(ref stats.WarmupErrors);
        }
    }

    private static string Describe(Exception e, CancellationToken cancellationToken) => e switch
    {
        _ when cancellationToken.IsCancellationRequested => "unfinished after the drain time (cancelled)",
        RpcException rpc => $"gRPC {rpc.StatusCode}: {rpc.Status.Detail}",
        ProtocolException protocol => protocol.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static void WaitUntil(long due)
    {
        while (true)
        {
            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var micros = remaining * 1_000_000 / Stopwatch.Frequency;
            // usleep overshoots by the kernel's timer slack (~50-100 µs); aim a little early.
            NativeMethods.SleepMicroseconds((int)Math.Clamp(micros - 60, 20, 100_000));
        }
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static long ToNanoseconds(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    private sealed record WorkItem(LoadRunner Runner, long Due, bool Measured, long WindowStart, long WindowEnd, LoadStats Stats, CancellationToken Token);
}
