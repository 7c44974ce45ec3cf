using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// The mock IBM Cloud IAM's token book: issues opaque bearer tokens with an expiry and tells whether a
/// presented token was issued here and is still valid. Thread-safe.
/// </summary>
internal sealed class IamTokenIssuer(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);
    private long _count;

    /// <summary>How long an issued token is valid.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>How many tokens were issued.</summary>
    public long Issued => Interlocked.Read(ref _count);

    /// <summary>Issues a token: <c>mock-iam-&lt;n&gt;-&lt;random hex&gt;</c>, valid for <see cref="Lifetime"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue()
    {
        var number = Interlocked.Increment(ref _count);
        var token = "mock-iam-" + number.ToString(CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var expiresAt = time.GetUtcNow() + Lifetime;
        _issued[token] = expiresAt;
        return (token, expiresAt);
    }

    /// <summary>Checks a presented token.</summary>
    public IamTokenStatus Check(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!_issued.TryGetValue(token, out var expiresAt))
        {
            return IamTokenStatus.Unknown;
        }

        return time.GetUtcNow() < expiresAt ? IamTokenStatus.Valid : IamTokenStatus.Expired;
    }
}
