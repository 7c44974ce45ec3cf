namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// Thrown after part of a response was written, to cut the connection there. Kestrel then closes an
/// HTTP/1.1 connection without the final chunk, after the bytes already written have been sent, so the
/// client reads exactly those bytes and then sees the response end too soon. HTTP/2 gets RST_STREAM instead.
/// (<see cref="Microsoft.AspNetCore.Http.HttpContext.Abort"/> would drop output not yet on the socket.)
/// </summary>
internal sealed class MockConnectionResetException : Exception
{
    public MockConnectionResetException()
        : base("Connection reset injected by the mock provider.")
    {
    }

    public MockConnectionResetException(string message)
        : base(message)
    {
    }

    public MockConnectionResetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
