using AiGateway.RateLimit.Storage;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>Wraps a store and records every operation it was asked to apply.</summary>
public sealed class RecordingStore(IRateLimitStore inner) : IRateLimitStore
{
    public List<CounterOperation[]> Calls { get; } = [];

    public IEnumerable<CounterOperation> Operations => Calls.SelectMany(c => c);

    public ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(operations.ToArray());
        }

        return inner.ApplyAsync(operations, results, cancellationToken);
    }
}
