using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>An ordered filter list ending in a terminal filter (router or upstream codec), composed once.</summary>
internal sealed class HttpFilterPipeline
{
    private readonly HttpFilterDelegate _entry;

    public HttpFilterPipeline(IReadOnlyList<IHttpFilter> filters)
    {
        if (filters.Count == 0)
        {
            throw new ArgumentException("A filter chain needs a terminal filter.", nameof(filters));
        }

        HttpFilterDelegate next = static (_, _, _) => throw new InvalidOperationException("The terminal filter called next.");
        for (var i = filters.Count - 1; i >= 0; i--)
        {
            var filter = filters[i];
            var following = next;
            next = (context, request, cancellationToken) => filter.InvokeAsync(context, request, following, cancellationToken);
        }

        _entry = next;
        Filters = filters;
    }

    public IReadOnlyList<IHttpFilter> Filters { get; }

    public Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, CancellationToken cancellationToken) =>
        _entry(context, request, cancellationToken);
}
