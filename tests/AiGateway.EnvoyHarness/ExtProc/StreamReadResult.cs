using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>A read from the side stream: a message, a clean end (status OK), or an error status.</summary>
internal readonly record struct StreamReadResult(ProcessingResponse? Message, Status? Error)
{
    public static StreamReadResult EndedOk { get; } = new(null, null);

    public bool IsEndedOk => Message is null && Error is null;

    public static StreamReadResult FromMessage(ProcessingResponse message) => new(message, null);

    public static StreamReadResult FromError(Status status) => new(null, status);
}
