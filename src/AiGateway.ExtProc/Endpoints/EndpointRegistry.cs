using AiGateway.Core.Translation;

namespace AiGateway.ExtProc.Endpoints;

/// <summary>Maps a request path (exact match, query string ignored) to the endpoint that serves it.</summary>
internal static class EndpointRegistry
{
    private const string ModelsPrefix = "/v1/models/";

    /// <summary>Resolves <paramref name="path"/>; <paramref name="modelId"/> is set for <see cref="EndpointRoute.ModelGet"/>.</summary>
    public static EndpointRoute Resolve(string path, out string? modelId)
    {
        modelId = null;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var bare = query < 0 ? path : path[..query];
        switch (bare)
        {
            case "/v1/chat/completions":
                return EndpointRoute.ChatCompletions;
            case "/v1/embeddings":
                return EndpointRoute.Embeddings;
            case "/v1/messages" or "/anthropic/v1/messages":
                return EndpointRoute.Messages;
            case "/v1/models":
                return EndpointRoute.ModelsList;
        }

        if (bare.StartsWith(ModelsPrefix, StringComparison.Ordinal) && bare.Length > ModelsPrefix.Length)
        {
            modelId = Uri.UnescapeDataString(bare[ModelsPrefix.Length..]);
            return EndpointRoute.ModelGet;
        }

        return EndpointRoute.Unknown;
    }

    /// <summary>The HTTP method an endpoint accepts.</summary>
    public static string MethodOf(EndpointRoute route) => route is EndpointRoute.ModelsList or EndpointRoute.ModelGet ? "GET" : "POST";

    /// <summary>The translation endpoint of a proxied route.</summary>
    public static EndpointKind? KindOf(EndpointRoute route) => route switch
    {
        EndpointRoute.ChatCompletions => EndpointKind.ChatCompletions,
        EndpointRoute.Embeddings => EndpointKind.Embeddings,
        EndpointRoute.Messages => EndpointKind.Messages,
        _ => null,
    };

    /// <summary>
    /// True when errors for <paramref name="path"/> go out in Anthropic's format: the Messages endpoints, and
    /// unknown paths an Anthropic SDK would call (<c>/anthropic/...</c>, <c>/v1/messages/...</c>).
    /// </summary>
    public static bool SpeaksAnthropic(EndpointRoute route, string path)
    {
        if (route == EndpointRoute.Messages)
        {
            return true;
        }

        return route == EndpointRoute.Unknown
            && (path.StartsWith("/anthropic/", StringComparison.Ordinal) || path.StartsWith("/v1/messages", StringComparison.Ordinal));
    }
}
