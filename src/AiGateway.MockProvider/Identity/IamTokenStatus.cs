namespace AiGateway.MockProvider.Identity;

/// <summary>What the mock IAM knows about a presented bearer token.</summary>
internal enum IamTokenStatus
{
    /// <summary>Not issued by this mock.</summary>
    Unknown,

    /// <summary>Issued here and not expired.</summary>
    Valid,

    /// <summary>Issued here but past its expiry.</summary>
    Expired,
}
