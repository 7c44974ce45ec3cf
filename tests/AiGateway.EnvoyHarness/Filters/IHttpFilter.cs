using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// One HTTP filter, written as middleware: the request path runs before <c>next</c>, the response path on what it returns.
/// A filter that answers itself (local reply) does not call <c>next</c>; filters before it still see that reply.
/// Filters are created once per configuration; per-request state lives in locals and <see cref="HttpFilterContext"/>.
/// </summary>
internal interface IHttpFilter
{
    Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken);
}
