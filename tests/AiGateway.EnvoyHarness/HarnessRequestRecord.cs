namespace AiGateway.EnvoyHarness;

/// <summary>
/// What the harness did with one downstream request, recorded once the response was fully written (or the stream aborted).
/// Metadata values are converted from protobuf: null, bool, double, string, lists and nested dictionaries.
/// </summary>
public sealed record HarnessRequestRecord(
    string Method,
    string Path,
    string? RouteName,
    string? ClusterName,
    IReadOnlyList<HarnessAttemptRecord> Attempts,
    int ResponseStatus,
    string? ResponseCodeDetails,
    bool Aborted,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> DynamicMetadata)
{
    /// <summary>The final dynamic metadata of namespace <paramref name="ns"/> (empty when nothing was written there).</summary>
    public IReadOnlyDictionary<string, object?> Metadata(string ns) =>
        DynamicMetadata.TryGetValue(ns, out var values) ? values : new Dictionary<string, object?>();
}
