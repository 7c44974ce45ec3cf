using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>
/// <c>envoy.filters.http.ext_proc</c>, router-level (HCM) or upstream-level (cluster <c>http_filters</c>, one stream per attempt).
/// The protocol work is in <see cref="ExtProcSession"/>; this class wires it around the rest of the chain.
/// </summary>
internal sealed class ExtProcFilter(ExtProcFilterConfig config, string connectionManagerStatPrefix) : IHttpFilter
{
    public ExtProcFilterConfig Config { get; } = config;

    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var session = new ExtProcSession(Config, context, StatPrefix(context));
        var requestPhase = await session.ProcessRequestAsync(request, cancellationToken);
        if (requestPhase.OwnReply is { } ownReply)
        {
            return ownReply;
        }

        HarnessResponse response;
        if (requestPhase.OtherLocalReply is { } localReply)
        {
            response = localReply;
        }
        else
        {
            try
            {
                response = await next(context, request, cancellationToken);
            }
            catch (ExtProcAbortException abort) when (ReferenceEquals(abort.Owner, session))
            {
                // A STREAMED request body ended in an immediate response or failure of this filter.
                return abort.Reply!;
            }
        }

        return response.SkipEncoderFilters ? response : await session.ProcessResponseAsync(response, cancellationToken);
    }

    private string StatPrefix(HttpFilterContext context)
    {
        var filterPrefix = Config.StatPrefix.Length == 0 ? string.Empty : Config.StatPrefix + ".";
        return context.Attempt is { } attempt
            ? $"cluster.{attempt.Cluster.Name}.ext_proc.{filterPrefix}"
            : $"http.{connectionManagerStatPrefix}.ext_proc.{filterPrefix}";
    }
}
