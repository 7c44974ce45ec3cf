using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Filters;

internal delegate Task<HarnessResponse> HttpFilterDelegate(HttpFilterContext context, HarnessRequest request, CancellationToken cancellationToken);
