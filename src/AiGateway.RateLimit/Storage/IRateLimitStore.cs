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

    /// <summary>
    /// Like <see cref="ApplyAsync"/>, but a store that failed or missed its deadline is an answer, not an exception:
    /// null when the operations were applied, else why not. The limiter calls this one, so an overloaded or unreachable
    /// store costs no exception per call (exceptions are expensive exactly when the service is short of CPU).
    /// </summary>
    async ValueTask<string?> TryApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(operations, results, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RateLimitStoreException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Gets the store ready to answer its first call quickly (for Redis: connected and the script loaded), so the service
    /// can hold back traffic and health until then. Throws <see cref="RateLimitStoreException"/> when it cannot be ready yet.
    /// </summary>
    ValueTask PrepareAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
