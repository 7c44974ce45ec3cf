using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// Every access token the mock's token endpoints issued, so provider endpoints can accept exactly those
/// (and no others) as <c>Authorization: Bearer</c>. Thread-safe.
/// </summary>
public sealed class IssuedTokens
{
    /// <summary>Issuer name of tokens from the Entra ID endpoint.</summary>
    public const string Entra = "entra";

    /// <summary>Issuer name of tokens from the Google OAuth endpoint.</summary>
    public const string Google = "google";

    private readonly ConcurrentDictionary<string, MockIssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MockIssuedToken> _order = new();
    private readonly TimeProvider _time;

    internal IssuedTokens(TimeProvider time) => _time = time;

    /// <summary>The tokens issued so far, oldest first.</summary>
    public IReadOnlyList<MockIssuedToken> Snapshot() => [.. _order];

    /// <summary>How many tokens <paramref name="issuer"/> issued.</summary>
    public int CountIssuedBy(string issuer) => _order.Count(t => t.Issuer == issuer);

    /// <summary>
    /// Checks an <c>Authorization</c> header value: <see cref="BearerCheck.Accepted"/> when it is
    /// <c>Bearer &lt;token&gt;</c> with a token this mock issued (of <paramref name="issuer"/>, when given) that has not expired.
    /// </summary>
    public BearerCheck Check(string? authorization, string? issuer = null)
    {
        var value = BearerValue(authorization);
        if (value is null)
        {
            return BearerCheck.Missing;
        }

        if (!_tokens.TryGetValue(value, out var token) || (issuer is not null && token.Issuer != issuer))
        {
            return BearerCheck.Unknown;
        }

        return token.ExpiresOn > _time.GetUtcNow() ? BearerCheck.Accepted : BearerCheck.Expired;
    }

    /// <summary>The token of <c>Bearer &lt;token&gt;</c>, or null.</summary>
    internal static string? BearerValue(string? authorization)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var value = authorization[scheme.Length..].Trim();
        return value.Length == 0 ? null : value;
    }

    internal MockIssuedToken Issue(string issuer, string subject, string scope, TimeSpan lifetime)
    {
        var prefix = issuer == Google ? "ya29.mock-" : "eyJ0eXAi.mock-entra-";
        var token = new MockIssuedToken(issuer, subject, scope, prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), _time.GetUtcNow() + lifetime);
        _tokens[token.Value] = token;
        _order.Enqueue(token);
        return token;
    }
}
