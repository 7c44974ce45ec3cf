using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>
/// The IBM Cloud side of the mock: IAM's <c>POST /identity/token</c> and watsonx.ai's
/// <c>{prefix}/ml/v1/text/chat</c>, <c>/text/chat_stream</c> and <c>/text/embeddings</c>. watsonx.ai routes
/// accept only unexpired bearer tokens issued by the mock IAM, require the <c>version</c> query parameter
/// and exactly one of <c>project_id</c>/<c>space_id</c>, and answer every error in watsonx's shape.
/// </summary>
internal static partial class WatsonxRequestHandler
{
    private const string MlPrefix = "/ml/v1/";

    /// <summary>Fields of OpenAI's chat API that watsonx.ai does not take (a translator must not send them).</summary>
    private static readonly string[] ForeignChatFields = ["model", "stream", "stream_options", "prefer_provider"];

    private static readonly string[] ForeignEmbeddingFields = ["model", "input", "encoding_format", "dimensions", "user"];

    private static readonly string[] ToolChoiceOptions = ["auto", "none", "required"];

    /// <summary>True for the IAM token path and every path under <c>/ml/v1/</c>.</summary>
    public static bool Handles(string path) =>
        path == IamTokenHandler.Path || Resolve(path) != WatsonxOperation.None;

    /// <summary>The operation of a path under any prefix.</summary>
    public static WatsonxOperation Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Contains(MlPrefix, StringComparison.Ordinal))
        {
            return WatsonxOperation.None;
        }

        return path switch
        {
            _ when path.EndsWith("/ml/v1/text/chat", StringComparison.Ordinal) => WatsonxOperation.Chat,
            _ when path.EndsWith("/ml/v1/text/chat_stream", StringComparison.Ordinal) => WatsonxOperation.ChatStream,
            _ when path.EndsWith("/ml/v1/text/embeddings", StringComparison.Ordinal) => WatsonxOperation.Embeddings,
            _ => WatsonxOperation.Unknown,
        };
    }

    public static async Task HandleAsync(HttpContext context, MockProviderState state, string path, ReadOnlyMemory<byte> body, long requestNumber, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        if (path == IamTokenHandler.Path)
        {
            await IamTokenHandler.HandleAsync(context, state, body, requestNumber, logger, ct);
            return;
        }

        var trace = "mock-trace-" + requestNumber.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-global-transaction-id"] = trace;
        var request = context.Request;
        var operation = Resolve(path);
        if (operation == WatsonxOperation.Unknown || !HttpMethods.IsPost(request.Method))
        {
            await WriteErrorAsync(context, WatsonxError.NotFound(request.Method, path), trace, ct);
            return;
        }

        if (CheckToken(state, request.Headers.Authorization.ToString()) is { } authError)
        {
            await WriteErrorAsync(context, authError, trace, ct);
            return;
        }

        var version = request.Query["version"].ToString();
        if (version.Length == 0)
        {
            await WriteErrorAsync(context, WatsonxError.MissingVersion(), trace, ct);
            return;
        }

        if (!VersionPattern().IsMatch(version))
        {
            await WriteErrorAsync(context, WatsonxError.InvalidVersion(version), trace, ct);
            return;
        }

        WatsonxChatRequest? chat = null;
        WatsonxEmbeddingRequest? embedding = null;
        var parsed = operation == WatsonxOperation.Embeddings
            ? TryParse(body, out embedding, WatsonxJsonContext.Default.WatsonxEmbeddingRequest)
            : TryParse(body, out chat, WatsonxJsonContext.Default.WatsonxChatRequest);

        var rule = state.Faults.TryConsume(path, chat?.ModelId ?? embedding?.ModelId);
        if (!FaultPlan.TryCreate(rule, request.Headers, out var plan, out var headerError))
        {
            await WriteErrorAsync(context, new WatsonxError(400, "invalid_mock_header", headerError!), trace, ct);
            return;
        }

        if (await ApplyPreResponseFaultsAsync(context, state, path, plan, (status, message) => WriteErrorAsync(context, WatsonxError.ForStatus(status, message), trace, ct), logger, ct))
        {
            return;
        }

        if (!parsed)
        {
            await WriteErrorAsync(context, WatsonxError.InvalidJson(), trace, ct);
            return;
        }

        if (embedding is not null)
        {
            await AnswerEmbeddingsAsync(context, state, embedding, plan, trace, logger, ct);
            return;
        }

        await AnswerChatAsync(context, state, chat!, operation == WatsonxOperation.ChatStream, plan, trace, logger, ct);
    }

    /// <summary>
    /// Delay, reset-before-response and status faults, shared by IAM and watsonx.ai; true when the request is
    /// finished. <paramref name="writeError"/> writes the dialect's error body for a status.
    /// </summary>
    internal static async Task<bool> ApplyPreResponseFaultsAsync(HttpContext context, MockProviderState state, string path, FaultPlan plan, Func<int, string?, Task> writeError, ILogger logger, CancellationToken ct)
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
        if (retryAfter is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await writeError(status, plan.ErrorMessage);
        return true;
    }

    private static WatsonxError? CheckToken(MockProviderState state, string authorization)
    {
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return WatsonxError.MissingToken();
        }

        return state.IamTokens.Check(authorization[scheme.Length..].Trim()) switch
        {
            IamTokenStatus.Valid => null,
            IamTokenStatus.Expired => WatsonxError.ExpiredToken(),
            _ => WatsonxError.UnknownToken(),
        };
    }

    private static async Task AnswerChatAsync(HttpContext context, MockProviderState state, WatsonxChatRequest request, bool stream, FaultPlan plan, string trace, ILogger logger, CancellationToken ct)
    {
        if (ValidateChat(request, state.Options, out var chat) is { } error)
        {
            await WriteErrorAsync(context, error, trace, ct);
            return;
        }

        var number = state.NextChatNumber();
        var reply = ChatReplyPlanner.Plan(chat, state.Options.ResponseTemplate, number);
        var identity = new WatsonxIdentity("chatcmpl-mock-" + number.ToString(CultureInfo.InvariantCulture), request.ModelId!, state.Time.GetUtcNow());
        if (stream)
        {
            var events = WatsonxJson.StreamEvents(identity, reply, omitToolCallIds: request.ToolChoiceOption == "required");
            var chunkDelay = plan.ChunkDelay ?? state.Options.ChunkDelay;
            var errorId = (plan.StreamErrorAfterEvents ?? 0) + 1;
            await SseResponder.WriteAsync(
                context,
                events,
                plan,
                chunkDelay,
                state.Time,
                logger,
                ct,
                message => WatsonxJson.StreamError(errorId, WatsonxError.ForStatus(StatusCodes.Status500InternalServerError, message), trace));
            return;
        }

        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, WatsonxJson.Completion(identity, reply), plan, logger, ct);
    }

    /// <summary>Checks a chat request and converts it to the OpenAI shape the reply planner reads.</summary>
    private static WatsonxError? ValidateChat(WatsonxChatRequest request, MockProviderOptions options, out ChatCompletionRequest chat)
    {
        chat = new ChatCompletionRequest();
        if (request.Other?.Keys.FirstOrDefault(k => ForeignChatFields.Contains(k, StringComparer.Ordinal)) is { } foreign)
        {
            return WatsonxError.UnexpectedField(foreign);
        }

        if (string.IsNullOrEmpty(request.ModelId))
        {
            return WatsonxError.MissingField("model_id");
        }

        if (string.IsNullOrEmpty(request.ProjectId) == string.IsNullOrEmpty(request.SpaceId))
        {
            return WatsonxError.ProjectOrSpace();
        }

        if (request.ToolChoiceOption is { } option && !ToolChoiceOptions.Contains(option, StringComparer.Ordinal))
        {
            return WatsonxError.InvalidValue("tool_choice_option", $"'{option}' is not one of auto, none, required");
        }

        if (request.ToolChoice is { } choice && choice.ValueKind != JsonValueKind.Null
            && (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out _)))
        {
            return WatsonxError.InvalidValue("tool_choice", "expected {\"type\":\"function\",\"function\":{\"name\":...}}; use tool_choice_option for auto, none or required");
        }

        if (request.ToolChoiceOption is not null && request.ToolChoice is { ValueKind: not JsonValueKind.Null })
        {
            return WatsonxError.InvalidValue("tool_choice", "give tool_choice or tool_choice_option, not both");
        }

        JsonElement? toolChoice = request.ToolChoice;
        if (request.ToolChoiceOption is { } text)
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes("\"" + text + "\""));
            toolChoice = document.RootElement.Clone();
        }

        chat = new ChatCompletionRequest
        {
            Model = request.ModelId,
            Messages = request.Messages,
            Tools = request.Tools,
            ToolChoice = toolChoice,
            MaxTokens = request.MaxTokens,
            MaxCompletionTokens = request.MaxCompletionTokens,
        };
        if (ChatReplyPlanner.Validate(chat, options) is { } invalid)
        {
            return invalid.Status == StatusCodes.Status404NotFound
                ? WatsonxError.ModelNotSupported(request.ModelId)
                : new WatsonxError(invalid.Status, "json_validation_error", invalid.Message);
        }

        return null;
    }

    private static async Task AnswerEmbeddingsAsync(HttpContext context, MockProviderState state, WatsonxEmbeddingRequest request, FaultPlan plan, string trace, ILogger logger, CancellationToken ct)
    {
        WatsonxError? error = null;
        if (request.Other?.Keys.FirstOrDefault(k => ForeignEmbeddingFields.Contains(k, StringComparer.Ordinal)) is { } foreign)
        {
            error = WatsonxError.UnexpectedField(foreign);
        }
        else if (string.IsNullOrEmpty(request.ModelId))
        {
            error = WatsonxError.MissingField("model_id");
        }
        else if (string.IsNullOrEmpty(request.ProjectId) == string.IsNullOrEmpty(request.SpaceId))
        {
            error = WatsonxError.ProjectOrSpace();
        }
        else if (request.Inputs is not { Count: > 0 } || request.Inputs.Any(i => i is null))
        {
            error = WatsonxError.MissingField("inputs");
        }
        else if (state.Options.RejectUnknownModels && !state.Options.Models.Contains(request.ModelId, StringComparer.Ordinal))
        {
            error = WatsonxError.ModelNotSupported(request.ModelId);
        }

        if (error is not null)
        {
            await WriteErrorAsync(context, error, trace, ct);
            return;
        }

        var inputs = request.Inputs!;
        var vectors = inputs.Select(i => EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes(i), state.Options.EmbeddingDimensions)).ToList();
        var tokens = inputs.Sum(i => TokenEstimator.ForText(i.Length));
        var echo = request.Parameters is { ValueKind: JsonValueKind.Object } parameters
            && parameters.TryGetProperty("return_options"u8, out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("input_text"u8, out var inputText)
            && inputText.ValueKind == JsonValueKind.True;
        var answer = WatsonxJson.Embeddings(request.ModelId!, vectors, echo ? inputs : null, tokens, state.Time.GetUtcNow());
        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, answer, plan, logger, ct);
    }

    private static Task WriteErrorAsync(HttpContext context, WatsonxError error, string trace, CancellationToken ct)
    {
        var body = WatsonxJson.Error(error, trace);
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }

    private static bool TryParse<T>(ReadOnlyMemory<byte> body, out T? value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
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

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
