namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>A credential could not be obtained. The message names the cause and holds no secret.</summary>
public sealed class CredentialException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CredentialException()
    {
    }

    /// <summary>Creates the exception with a message safe to show to clients and logs.</summary>
    public CredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a safe message and the underlying cause.</summary>
    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
