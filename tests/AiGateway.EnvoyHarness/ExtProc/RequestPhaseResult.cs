using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>
/// How the request path of an ext_proc filter ended: continue, the filter's own reply (never processed by the same filter),
/// or a local reply from elsewhere (e.g. the 413 of an over-limit buffered body) that the filter's response path processes.
/// </summary>
internal readonly record struct RequestPhaseResult(HarnessResponse? OwnReply, HarnessResponse? OtherLocalReply)
{
    public static RequestPhaseResult Continue { get; } = new(null, null);

    public static RequestPhaseResult Own(HarnessResponse reply) => new(reply, null);

    public static RequestPhaseResult Other(HarnessResponse reply) => new(null, reply);
}
