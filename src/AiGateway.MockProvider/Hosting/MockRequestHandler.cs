using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Gemini;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Messages;
using AiGateway.MockProvider.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// The terminal middleware. Token requests go to the mock identity endpoints (<see cref="IdentityEndpoints"/>).
/// For a provider request: read and record it, add the standard headers,
/// check issued bearer tokens (<see cref="BearerTokenPolicy"/>) or the API key (Bearer, or <c>x-api-key</c> plus <c>anthropic-version</c> on Anthropic paths), resolve the route, parse the body, pick the fault (rule + headers), apply
/// delay / reset / status, then answer. <c>/healthz</c> and <c>/_mock/*</c> are neither recorded nor faulted.
/// </summary>
internal sealed class MockRequestHandler(MockProviderState state, ILogger logger, CancellationToken stopping)
{
    public const string HealthPath = "/healthz";
    public const string AdminPrefix = "/_mock/";
    public const string AnthropicApiKeyHeader = "x-api-key";
    public const string AnthropicVersionHeader = "anthropic-version";
    public const string AzureApiKeyHeader = "api-key";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        if (path == HealthPath)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        try
        {
            if (path.StartsWith(AdminPrefix, StringComparison.Ordinal))
            {
                await AdminHandler.HandleAsync(context, state, path, ct);
                return;
            }

            await HandleProviderRequestAsync(context, path, ct);
            Log.RequestCompleted(logger, context.Request.Method, path, context.Response.StatusCode);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Log.ClientDisconnected(logger, path);
            context.Abort();
        }
        catch (Exception ex) when (ex is not (MockConnectionResetException or OperationCanceledException))
        {
            Log.UnexpectedError(logger, context.Request.Method, path, ex);
            throw;
        }
    }

    private async Task HandleProviderRequestAsync(HttpContext context, string path, CancellationToken ct)
    {
        var request = context.Request;
        var startTimestamp = state.Time.GetTimestamp();
        var body = await ReadBodyAsync(request, ct);
        // Token exchanges are the gateway's own calls, not provider requests: they are kept apart.
        (path == Identity.IamTokenHandler.Path ? state.TokenRequests : state.Recorder).Add(new RecordedRequest(
            request.Method,
            path + request.QueryString.Value,
            CopyHeaders(request.Headers),
            body,
            state.Time.GetUtcNow()));
        var requestNumber = state.NextRequestNumber();
        if (Watsonx.WatsonxRequestHandler.Handles(path))
        {
            // IBM Cloud: IAM token exchange and watsonx.ai, with IBM's auth and error formats.
            await Watsonx.WatsonxRequestHandler.HandleAsync(context, state, path, body, requestNumber, logger, ct);
            return;
        }

        // Gemini API and Vertex AI model methods ({prefix}/...models/{model}:method) speak Google's dialect throughout.
        if (GeminiRoute.TryResolve(path, out var geminiRoute))
        {
            await GeminiHandler.HandleAsync(context, state, geminiRoute, path, body, requestNumber, logger, ct);
            return;
        }

        if (Bedrock.BedrockRoute.TryResolve(request.Method, Bedrock.BedrockHandler.RawTarget(context), out var bedrock))
        {
            await Bedrock.BedrockHandler.HandleAsync(context, state, bedrock, path, body, requestNumber, logger, ct);
            return;
        }

        if (await IdentityEndpoints.TryHandleAsync(context, state, path, body, ct))
        {
            return;
        }

        // Anthropic Messages paths get Anthropic's headers, auth and error format; errors carry request_id.
        var anthropicRequestId = MockRoute.IsAnthropicPath(path)
            ? "req_mock_" + requestNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
        if (anthropicRequestId is null)
        {
            StandardHeaders.Apply(context.Response, requestNumber, body.Length, state.Time, startTimestamp);
            var bearer = state.BearerTokens.Check(state.IssuedTokens, path, request.Headers.Authorization.ToString(), request.Headers[AzureApiKeyHeader].ToString());
            if ((bearer.Applies ? bearer.Error : state.ApiKeys.Check(path, request.Headers.Authorization.ToString())) is { } authError)
            {
                await JsonResponder.WriteErrorAsync(context, authError, ct);
                return;
            }
        }
        else
        {
            AnthropicHeaders.Apply(context.Response, anthropicRequestId, body.Length, state.Time);
            if (state.ApiKeys.CheckAnthropic(path, request.Headers[AnthropicApiKeyHeader].ToString()) is { } authError)
            {
                await JsonResponder.WriteErrorAsync(context, authError, anthropicRequestId, ct);
                return;
            }
        }

        var route = MockRoute.Resolve(request.Method, path);
        if (route.Kind == MockRouteKind.NotFound)
        {
            await WriteErrorAsync(context, OpenAiError.InvalidUrl(request.Method, path), anthropicRequestId, ct);
            return;
        }

        if (route.Kind == MockRouteKind.Messages && string.IsNullOrWhiteSpace(request.Headers[AnthropicVersionHeader].ToString()))
        {
            await JsonResponder.WriteErrorAsync(context, AnthropicError.MissingVersion(), anthropicRequestId!, ct);
            return;
        }

        ChatCompletionRequest? chat = null;
        EmbeddingRequest? embedding = null;
        MessagesRequest? messages = null;
        var parsed = route.Kind switch
        {
            MockRouteKind.ChatCompletions => TryParse(body, MockJsonContext.Default.ChatCompletionRequest, out chat),
            MockRouteKind.Embeddings => TryParse(body, MockJsonContext.Default.EmbeddingRequest, out embedding),
            MockRouteKind.Messages => TryParse(body, MockJsonContext.Default.MessagesRequest, out messages),
            _ => true,
        };

        var rule = state.Faults.TryConsume(path, chat?.Model ?? embedding?.Model ?? messages?.Model);
        if (!FaultPlan.TryCreate(rule, request.Headers, out var plan, out var headerError))
        {
            await WriteErrorAsync(context, OpenAiError.InvalidHeader(headerError!), anthropicRequestId, ct);
            return;
        }

        if (await ApplyPreResponseFaultsAsync(context, path, plan, anthropicRequestId, ct))
        {
            return;
        }

        if (!parsed)
        {
            if (anthropicRequestId is null)
            {
                await JsonResponder.WriteErrorAsync(context, OpenAiError.InvalidJson(), ct);
            }
            else
            {
                await JsonResponder.WriteErrorAsync(context, AnthropicError.InvalidJson(), anthropicRequestId, ct);
            }

            return;
        }

        switch (route.Kind)
        {
            case MockRouteKind.ChatCompletions:
                await ChatCompletionsHandler.HandleAsync(context, state, chat!, plan, logger, ct);
                break;
            case MockRouteKind.Embeddings:
                await EmbeddingsHandler.HandleAsync(context, state, embedding!, plan, logger, ct);
                break;
            case MockRouteKind.Messages:
                await MessagesHandler.HandleAsync(context, state, messages!, plan, anthropicRequestId!, logger, ct);
                break;
            case MockRouteKind.ListModels:
                await ModelsHandler.ListAsync(context, state, plan, logger, ct);
                break;
            default:
                await ModelsHandler.GetAsync(context, state, route.ModelId!, plan, logger, ct);
                break;
        }
    }

    /// <summary>
    /// Delay, reset-before-response and status faults; true when the request is finished. A status on an
    /// Anthropic path (<paramref name="anthropicRequestId"/> set) gets Anthropic's error body and 429 headers.
    /// </summary>
    private async Task<bool> ApplyPreResponseFaultsAsync(HttpContext context, string path, FaultPlan plan, string? anthropicRequestId, CancellationToken ct)
    {
        if (plan.IsNone)
        {
            return false;
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var fault = plan.ToString();
            Log.FaultApplied(logger, context.Request.Method, path, fault);
        }

        if (plan.Delay > TimeSpan.Zero)
        {
            await Task.Delay(plan.Delay, state.Time, ct);
        }

        if (plan.ResetBeforeResponse)
        {
            Log.ConnectionAborted(logger, path, 0);
            context.Abort();
            return true;
        }

        if (plan.StatusCode is not { } status)
        {
            return false;
        }

        var retryAfter = plan.RetryAfterSeconds ?? (status == StatusCodes.Status429TooManyRequests ? 1 : null);
        if (status == StatusCodes.Status429TooManyRequests)
        {
            if (anthropicRequestId is null)
            {
                StandardHeaders.ApplyRateLimited(context.Response, retryAfter!.Value);
            }
            else
            {
                AnthropicHeaders.ApplyRateLimited(context.Response, retryAfter!.Value, state.Time);
            }
        }
        else if (retryAfter is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (anthropicRequestId is null)
        {
            await JsonResponder.WriteErrorAsync(context, OpenAiError.ForStatus(status, plan.ErrorMessage), ct);
        }
        else
        {
            await JsonResponder.WriteErrorAsync(context, AnthropicError.ForStatus(status, plan.ErrorMessage), anthropicRequestId, ct);
        }

        return true;
    }

    /// <summary>An error both dialects share: OpenAI's shape, or the same status and message in Anthropic's.</summary>
    private static Task WriteErrorAsync(HttpContext context, OpenAiError error, string? anthropicRequestId, CancellationToken ct) =>
        anthropicRequestId is null
            ? JsonResponder.WriteErrorAsync(context, error, ct)
            : JsonResponder.WriteErrorAsync(context, AnthropicError.From(error), anthropicRequestId, ct);

    private static bool TryParse<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, out T? value)
        where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize(body.Span, typeInfo);
            return value is not null;
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and < int.MaxValue ? (int)length : 1024);
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray());
        }

        return copy;
    }
}
