namespace AiGateway.MockProvider.Recording;

/// <summary>Thread-safe, bounded log of received requests; the oldest are dropped beyond the capacity.</summary>
internal sealed class RequestRecorder
{
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _requests = new();
    private readonly int _capacity;

    public RequestRecorder(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    public void Add(RecordedRequest request)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_requests.Count == _capacity)
            {
                _requests.Dequeue();
            }

            _requests.Enqueue(request);
        }
    }

    /// <summary>A copy of the recorded requests, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
