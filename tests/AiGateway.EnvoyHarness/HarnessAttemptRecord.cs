namespace AiGateway.EnvoyHarness;

/// <summary>One upstream attempt made by the router.</summary>
/// <param name="Number">1 for the first attempt, 2 for the first retry, ...</param>
/// <param name="ClusterName">The routed cluster.</param>
/// <param name="HostAddress">The endpoint address as written in envoy.yaml ("address:port").</param>
/// <param name="Priority">The endpoint's priority in the cluster.</param>
/// <param name="EndpointMetadata">The endpoint's <c>filter_metadata</c>, converted like <see cref="HarnessRequestRecord.DynamicMetadata"/>.</param>
/// <param name="Outcome">"status:&lt;code&gt;", "connect-failure", "reset", "timeout" or "local-reply:&lt;code&gt;" (upstream filter reply).</param>
public sealed record HarnessAttemptRecord(
    int Number,
    string ClusterName,
    string HostAddress,
    int Priority,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> EndpointMetadata,
    string Outcome);
