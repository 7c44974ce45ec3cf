namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>Thrown by the upstream codec when an attempt fails before response headers (connect failure or reset).</summary>
internal sealed class UpstreamFailureException : Exception
{
    public UpstreamFailureException()
    {
    }

    public UpstreamFailureException(string message)
        : base(message)
    {
    }

    public UpstreamFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UpstreamFailureException(UpstreamFailureKind kind, Exception innerException)
        : base($"Upstream {kind}: {innerException.Message}", innerException)
    {
        Kind = kind;
    }

    public UpstreamFailureKind Kind { get; }
}
