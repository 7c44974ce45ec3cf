namespace AiGateway.RateLimit.Storage;

/// <summary>Where fixed-window counters live. One call applies every counter change of one request, atomically per store.</summary>
public interface IRateLimitStore
{
    /// <summary>
    /// Applies <paramref name="operations"/> and writes each counter's value after its change into
    /// <paramref name="results"/> (same index). A refund never takes a counter below zero and does not create a missing one.
    /// </summary>
    /// <exception cref="RateLimitStoreException">The store could not be reached in time or failed.</exception>
    ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken);
}
