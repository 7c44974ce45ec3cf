namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// Keeps one access token fresh in the background: fetches at creation, refreshes well before expiry
/// (at 80% of its lifetime, and at least five minutes early), retries failures with back-off while the
/// old token is still valid. Requests read the cached token without I/O; only when there is no valid
/// token do they wait for the fetch already under way (single flight), never start their own. When the
/// provider refuses the token before its time (<see cref="RefreshNow"/>), it is dropped and a new one
/// fetched at once, again by the one background loop.
/// </summary>
public sealed class RefreshingAccessToken : IDisposable
{
    /// <summary>A token this close to expiry is not handed out.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxEarlyRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    /// <summary>Refusals closer together than this start no new fetch: a provider that refuses every token is not a reason to hammer the issuer.</summary>
    public static readonly TimeSpan MinForcedRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly IAccessTokenSource _source;
    private readonly TimeProvider _time;
    private readonly Action<string>? _onFailure;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private AccessToken? _current;
    private DateTimeOffset _currentFetchedAt;
    private DateTimeOffset? _lastForcedRefresh;
    private bool _fetching = true;
    private CancellationTokenSource? _sleep;
    private string? _lastError;
    private TaskCompletionSource _nextOutcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts fetching.</summary>
    /// <param name="source">The issuer.</param>
    /// <param name="time">Clock and timers.</param>
    /// <param name="onFailure">Told each failed fetch (safe message), e.g. to log it.</param>
    public RefreshingAccessToken(IAccessTokenSource source, TimeProvider time, Action<string>? onFailure = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _onFailure = onFailure;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>How many fetches were made (tests and metrics).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    private int _fetches;

    /// <summary>The last fetch's error, or null after a success.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The cached token when it is valid for longer than <see cref="ExpiryMargin"/>.</summary>
    public bool TryGetCurrent(out string token)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.ExpiresOn - _time.GetUtcNow() > ExpiryMargin)
        {
            token = current.Value.Reveal();
            return true;
        }

        token = string.Empty;
        return false;
    }

    /// <summary>
    /// The cached token, or, when there is none, the outcome of the fetch under way. Fails with the
    /// fetch's safe message when it fails.
    /// </summary>
    public async ValueTask<(string? Token, string? Error)> GetAsync(CancellationToken cancellationToken)
    {
        if (TryGetCurrent(out var token))
        {
            return (token, null);
        }

        var outcome = Volatile.Read(ref _nextOutcome).Task;
        if (LastError is { } error && !outcome.IsCompleted && Fetches > 0 && Volatile.Read(ref _current) is null)
        {
            // Fetches have been failing: answer now rather than queue behind the back-off.
            return (null, error);
        }

        await outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
        return TryGetCurrent(out token) ? (token, null) : (null, LastError ?? $"no valid token from {_source.Issuer}");
    }

    /// <summary>
    /// The provider refused a token (HTTP 401, e.g. watsonx's <c>authentication_token_expired</c>) on a
    /// request that started at <paramref name="requestStartedAt"/>: drops the current token and wakes the
    /// loop to fetch a new one now, so later requests wait for it instead of being refused too. Ignored
    /// when the current token is newer than the request (already replaced), when a fetch is under way
    /// (it brings the new token: single flight), and within <see cref="MinForcedRefreshInterval"/> of the
    /// last forced refresh.
    /// </summary>
    /// <returns>True when a refresh was started.</returns>
    public bool RefreshNow(DateTimeOffset requestStartedAt)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_fetching || _current is null || _currentFetchedAt > requestStartedAt
                || (_lastForcedRefresh is { } last && now - last < MinForcedRefreshInterval))
            {
                return false;
            }

            _lastForcedRefresh = now;
            Volatile.Write(ref _current, null);

            // The loop awaits its timer with ForceYielding, so cancelling never runs the loop on this thread.
            _sleep?.Cancel();
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan delay;
            Interlocked.Increment(ref _fetches);
            try
            {
                var token = await _source.FetchAsync(stop).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                lock (_gate)
                {
                    _currentFetchedAt = now;
                    Volatile.Write(ref _current, token);
                }

                Volatile.Write(ref _lastError, null);
                failures = 0;
                var lifetime = token.ExpiresOn - now;
                var early = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 5, MaxEarlyRefresh.Ticks));
                delay = lifetime - TimeSpan.FromTicks(Math.Max(early.Ticks, ExpiryMargin.Ticks * 2));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var message = e is CredentialException ? e.Message : $"could not get a token from {_source.Issuer} ({e.GetType().Name})";
                Volatile.Write(ref _lastError, message);
                _onFailure?.Invoke(message);
                failures++;
                delay = TimeSpan.FromTicks(Math.Min(MinDelay.Ticks << Math.Min(failures - 1, 10), MaxRetryDelay.Ticks));
            }

            Interlocked.Exchange(ref _nextOutcome, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            var sleep = CancellationTokenSource.CreateLinkedTokenSource(stop);
            lock (_gate)
            {
                _fetching = false;
                _sleep = sleep;
            }

            // Ends at the timer, or early when RefreshNow cancels the sleep or Dispose stops the loop.
            await Task.Delay(delay < MinDelay ? MinDelay : delay, _time, sleep.Token)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
            lock (_gate)
            {
                _sleep = null;
                _fetching = true;
            }

            sleep.Dispose();
            if (stop.IsCancellationRequested)
            {
                break;
            }
        }

        Volatile.Read(ref _nextOutcome).TrySetResult();
    }
}
