namespace AiGateway.MockProvider.Bedrock;

/// <summary>The Bedrock runtime operation of a raw request path: <c>{prefix}/model/{modelId}/{operation}</c>.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="ModelId">The model id, percent-decoded (an ARN's <c>%2F</c> becomes <c>/</c>).</param>
internal readonly record struct BedrockRoute(BedrockOperation Operation, string ModelId)
{
    /// <summary>Resolves a POST to a raw (still percent-encoded) path; false for anything else.</summary>
    public static bool TryResolve(string method, string rawPath, out BedrockRoute route)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        route = default;
        var query = rawPath.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawPath : rawPath[..query];
        var at = path.LastIndexOf("/model/", StringComparison.Ordinal);
        if (at < 0 || !string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = path[(at + "/model/".Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        BedrockOperation? operation = rest[(slash + 1)..] switch
        {
            "converse" => BedrockOperation.Converse,
            "converse-stream" => BedrockOperation.ConverseStream,
            "invoke" => BedrockOperation.Invoke,
            _ => null,
        };
        if (operation is null)
        {
            return false;
        }

        route = new BedrockRoute(operation.Value, Uri.UnescapeDataString(rest[..slash]));
        return true;
    }
}

/// <summary>Bedrock runtime operations the mock serves.</summary>
internal enum BedrockOperation
{
    Converse,
    ConverseStream,
    Invoke,
}
