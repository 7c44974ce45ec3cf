namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>Why an attempt got no response headers.</summary>
internal enum UpstreamFailureKind
{
    ConnectFailure,
    Reset,
}
