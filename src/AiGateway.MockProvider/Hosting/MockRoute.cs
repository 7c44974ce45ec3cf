namespace AiGateway.MockProvider.Hosting;

/// <summary>A resolved route; <see cref="ModelId"/> is set for <see cref="MockRouteKind.GetModel"/>.</summary>
internal readonly record struct MockRoute(MockRouteKind Kind, string? ModelId = null)
{
    /// <summary>
    /// True for <c>{prefix}/messages</c> (Anthropic's Messages API): such requests get Anthropic's auth
    /// (<c>x-api-key</c>), headers and error format, whatever the method.
    /// </summary>
    public static bool IsAnthropicPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith("/messages", StringComparison.Ordinal);
    }

    /// <summary>
    /// Maps a method and path under any prefix: <c>POST {p}/chat/completions</c>, <c>POST {p}/embeddings</c>, <c>POST {p}/messages</c>,
    /// <c>GET {p}/models</c> and <c>GET {p}/models/{id}</c> (the id is everything after the first <c>/models/</c>).
    /// </summary>
    public static MockRoute Resolve(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var isPost = HttpMethodIs(method, "POST");
        var isGet = HttpMethodIs(method, "GET");
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return new(isPost ? MockRouteKind.ChatCompletions : MockRouteKind.NotFound);
        }

        if (path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return new(isPost ? MockRouteKind.Embeddings : MockRouteKind.NotFound);
        }

        if (IsAnthropicPath(path))
        {
            return new(isPost ? MockRouteKind.Messages : MockRouteKind.NotFound);
        }

        if (path.EndsWith("/models", StringComparison.Ordinal))
        {
            return new(isGet ? MockRouteKind.ListModels : MockRouteKind.NotFound);
        }

        const string segment = "/models/";
        var at = path.IndexOf(segment, StringComparison.Ordinal);
        if (isGet && at >= 0 && at + segment.Length < path.Length)
        {
            return new(MockRouteKind.GetModel, path[(at + segment.Length)..]);
        }

        return new(MockRouteKind.NotFound);
    }

    private static bool HttpMethodIs(string method, string expected) =>
        string.Equals(method, expected, StringComparison.OrdinalIgnoreCase);
}
