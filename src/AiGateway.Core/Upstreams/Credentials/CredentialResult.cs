namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>The outcome of applying credentials: success, or a message safe to show a client (no secret in it).</summary>
public readonly record struct CredentialResult(string? Error)
{
    /// <summary>Credentials were applied.</summary>
    public static CredentialResult Ok => default;

    /// <summary>True when credentials were applied.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Credentials could not be applied; the attempt must not be sent.</summary>
    public static CredentialResult Failed(string message) => new(message);
}
