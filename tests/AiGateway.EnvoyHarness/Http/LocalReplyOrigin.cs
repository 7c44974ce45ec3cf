namespace AiGateway.EnvoyHarness.Http;

/// <summary>Who produced a response: an upstream host, or a local reply from somewhere in the harness.</summary>
internal enum LocalReplyOrigin
{
    /// <summary>A real upstream response.</summary>
    Upstream,

    /// <summary>A local reply from the connection manager, the router, or a router-level filter.</summary>
    Downstream,

    /// <summary>A local reply from an upstream filter (ImmediateResponse or failure): goes to the client, never retried.</summary>
    UpstreamFilter,
}
