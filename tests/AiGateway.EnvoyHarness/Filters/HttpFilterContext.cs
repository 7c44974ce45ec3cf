namespace AiGateway.EnvoyHarness.Filters;

/// <summary>What a filter knows besides the request: the downstream request state and, for upstream filters, the attempt.</summary>
internal sealed record HttpFilterContext(RequestState Request, UpstreamAttempt? Attempt)
{
    public bool IsUpstream => Attempt is not null;
}
