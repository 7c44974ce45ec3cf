namespace AiGateway.EnvoyHarness.ExtProc;

internal enum ExchangeOutcome
{
    /// <summary>The expected reply arrived.</summary>
    Reply,

    /// <summary>The processor answered with an ImmediateResponse; <see cref="ExchangeResult.LocalReply"/> holds it.</summary>
    ImmediateResponse,

    /// <summary>The exchange failed (timeout, gRPC error, spurious reply, bad mutation); the local reply is the filter's own.</summary>
    Failed,

    /// <summary>No more processing: the server closed with OK, or failure_mode_allow dropped the stream. Continue unmodified.</summary>
    Continue,
}
