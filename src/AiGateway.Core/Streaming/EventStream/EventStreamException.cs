namespace AiGateway.Core.Streaming.EventStream;

/// <summary>An event stream is corrupt: a CRC mismatch, impossible lengths or an unknown header type.</summary>
public sealed class EventStreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventStreamException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EventStreamException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EventStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
