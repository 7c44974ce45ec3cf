namespace AiGateway.Core.Translation;

/// <summary>A request problem to report to the client in its own API's error format.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Message">Human-readable message.</param>
/// <param name="Type">Error type, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param">The offending request parameter, if any.</param>
/// <param name="Code">Machine-readable code, e.g. <c>model_not_found</c>.</param>
public sealed record ClientError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>400 for a body that is not JSON.</summary>
    public static ClientError MalformedJson(string detail) =>
        new(400, $"We could not parse the JSON body of your request: {detail}", "invalid_request_error", null, "invalid_json");

    /// <summary>400 when <c>model</c> is missing.</summary>
    public static ClientError MissingModel() =>
        new(400, "You must provide a model parameter.", "invalid_request_error", "model", "missing_model");

    /// <summary>404 for a model no provider serves.</summary>
    public static ClientError UnknownModel(string model) =>
        new(404, $"The model '{model}' does not exist or is not served by this gateway.", "invalid_request_error", "model", "model_not_found");

    /// <summary>404 for a path the gateway does not serve.</summary>
    public static ClientError UnsupportedPath(string method, string path) =>
        new(404, $"Unrecognized request URL ({method} {path}). This gateway serves POST /v1/chat/completions, POST /v1/embeddings, POST /v1/messages and GET /v1/models.", "invalid_request_error", null, "unknown_url");

    /// <summary>405 for a known path with the wrong method.</summary>
    public static ClientError MethodNotAllowed(string method, string path, string allowed) =>
        new(405, $"Method {method} is not allowed for {path}; use {allowed}.", "invalid_request_error", null, "method_not_allowed");

    /// <summary>413 for a body over the limit.</summary>
    public static ClientError BodyTooLarge(long limit) =>
        new(413, $"The request body is larger than the gateway's limit of {limit} bytes.", "invalid_request_error", null, "request_too_large");

    /// <summary>500 for a failure inside the gateway.</summary>
    public static ClientError Internal(string requestId) =>
        new(500, $"The gateway failed to process the request (request id {requestId}).", "server_error", null, "internal_error");
}
