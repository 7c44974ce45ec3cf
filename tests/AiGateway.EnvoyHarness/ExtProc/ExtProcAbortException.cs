using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>
/// Thrown out of a STREAMED body when the processor ends the exchange mid-body (immediate response or failure).
/// In the request direction the owning filter turns it into <see cref="Reply"/>; in the response direction headers were
/// already sent, so the connection manager resets the stream.
/// </summary>
internal sealed class ExtProcAbortException : Exception
{
    public ExtProcAbortException()
    {
    }

    public ExtProcAbortException(string message)
        : base(message)
    {
    }

    public ExtProcAbortException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExtProcAbortException(object owner, HarnessResponse reply)
        : base($"ext_proc ended the exchange with a local reply ({reply.Status}).")
    {
        Owner = owner;
        Reply = reply;
    }

    public object? Owner { get; }

    public HarnessResponse? Reply { get; }
}
