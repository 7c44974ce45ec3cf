using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using Envoy.Config.Core.V3;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// <c>envoy.filters.http.header_mutation</c>: ordered append/remove mutations whose values are substitution formats
/// (e.g. <c>%DYNAMIC_METADATA(ns:key)%</c>); an empty value is not added unless <c>keep_empty_value</c>.
/// </summary>
internal sealed class HeaderMutationFilter(HeaderMutationFilterConfig config) : IHttpFilter
{
    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        Apply(config.RequestMutations, request.Headers, context.Request, request.Headers);
        var response = await next(context, request, cancellationToken);
        Apply(config.ResponseMutations, response.Headers, context.Request, request.Headers);
        return response;
    }

    /// <summary>Applies <paramref name="rules"/> to <paramref name="headers"/>; values are formatted against the request headers and dynamic metadata.</summary>
    internal static void Apply(IReadOnlyList<HeaderMutationRuleConfig> rules, HeaderMap headers, RequestState state, HeaderMap requestHeaders)
    {
        if (rules.Count == 0)
        {
            return;
        }

        var metadata = state.SnapshotDynamicMetadata();
        foreach (var rule in rules)
        {
            if (rule.Remove is { } remove)
            {
                headers.Remove(remove);
                continue;
            }

            var key = rule.Key!;
            var value = rule.Value!.Format(metadata, requestHeaders.Get);
            if (value.Length == 0 && !rule.KeepEmptyValue)
            {
                continue;
            }

            switch (rule.AppendAction)
            {
                case HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent when !headers.Contains(key):
                case HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd:
                case HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists when headers.Contains(key):
                    headers.Set(key, value);
                    break;
                case HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd:
                    headers.Append(key, value);
                    break;
                default:
                    break;
            }
        }
    }
}
