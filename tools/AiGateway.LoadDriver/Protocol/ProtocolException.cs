namespace AiGateway.LoadDriver.Protocol;

/// <summary>The server answered something Envoy would not accept (wrong arm, immediate response, early end).</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
