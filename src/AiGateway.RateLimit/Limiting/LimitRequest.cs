namespace AiGateway.RateLimit.Limiting;

/// <summary>A <c>ShouldRateLimit</c> call, independent of the wire types.</summary>
/// <param name="Domain">The rate-limit domain.</param>
/// <param name="Descriptors">The descriptors, in request order.</param>
/// <param name="HitsAddend">The request-level addend; 0 means 1.</param>
public sealed record LimitRequest(string Domain, IReadOnlyList<RequestDescriptor> Descriptors, uint HitsAddend = 0);
