using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Models;

/// <summary>Answers <c>GET {prefix}/models</c> and <c>GET {prefix}/models/{id}</c> from the configured list.</summary>
internal static class ModelsHandler
{
    public static Task ListAsync(HttpContext context, MockProviderState state, FaultPlan plan, ILogger logger, CancellationToken ct) =>
        JsonResponder.WriteAsync(context, StatusCodes.Status200OK, ModelsJson.List(state.Options.Models), plan, logger, ct);

    public static Task GetAsync(HttpContext context, MockProviderState state, string id, FaultPlan plan, ILogger logger, CancellationToken ct) =>
        state.Options.Models.Contains(id, StringComparer.Ordinal)
            ? JsonResponder.WriteAsync(context, StatusCodes.Status200OK, ModelsJson.Model(id), plan, logger, ct)
            : JsonResponder.WriteErrorAsync(context, OpenAiError.ModelNotFound(id), ct);
}
