using System.Buffers;
using System.Globalization;
using AiGateway.Core.Configuration;
using AiGateway.Core.Pii;
using AiGateway.Core.Pricing;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.Core.Upstreams;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.ExtProc.Endpoints;
using AiGateway.ExtProc.Envoy;
using AiGateway.ExtProc.Telemetry;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc.Processing;

/// <summary>
/// The router-level stream: once per HTTP request. Authenticates nothing yet, parses the body once,
/// picks the primary provider, sets the routing headers and clears the route cache; on the way back it
/// normalises errors, streams SSE, reads usage and writes the usage metadata at the end. A provider's
/// 401 makes its token-based credentials refresh at once, so the client's next request gets a new token.
/// </summary>
internal sealed class RouterProcessor(
    GatewayConfigStore configStore,
    ExchangeStore exchanges,
    TranslatorRegistry translators,
    ExtProcOptions options,
    GatewayMetrics metrics,
    ProviderRateLimitBoard rateLimits,
    UpstreamCredentialStore credentials,
    TimeProvider timeProvider,
    ILogger logger) : IExchangeProcessor
{
    public const string RequestIdHeader = "x-ai-gateway-request-id";
    public const string ModelHeader = "x-ai-gateway-model";
    public const string ProviderHeader = "x-ai-gateway-provider";
    public const string PreferProviderHeader = "x-ai-gateway-prefer-provider";
    public const string ProviderUsedHeader = "x-provider-used";

    private static readonly ClientError GatewayRateLimited = new(
        429,
        "Rate limit exceeded: the gateway's rate limits allow no more requests or tokens for this caller in the current window; the x-ratelimit-reset header says in how many seconds it resets.",
        OpenAiErrorWriter.TypeFor(429),
        null,
        "rate_limit_exceeded");

    private static readonly byte[] GatewayRateLimitedOpenAi = OpenAiErrorWriter.ToBytes(GatewayRateLimited);
    private static readonly byte[] GatewayRateLimitedAnthropic = AnthropicErrorWriter.ToBytes(GatewayRateLimited);
    public const string AnthropicBetaHeader = "anthropic-beta";
    public const string CostHeader = "x-ai-gateway-cost";
    private const string GatewayHeaderPrefix = "x-ai-gateway-";

    private ExchangeState? _state;
    private IResponseTranslator? _responseTranslator;
    private ArrayBufferWriter<byte>? _output;
    private string? _preferHeader;
    private string? _anthropicBeta;
    private DateTimeOffset _startedAt;
    private bool _anthropicErrors;
    private int _status;
    private bool _streaming;
    private bool _finished;
    private long? _costMicros;
    private StreamedOutputCollector? _streamedOutput;
    private TokenUsage? _finalUsage;
    private int _piiFound;
    private ResponseMasker? _responseMasker;
    private ArrayBufferWriter<byte>? _maskedOutput;

    public bool IsComplete => _finished;

    public ValueTask<ProcessingResponse> OnRequestHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken)
    {
        var headers = request.RequestHeaders;
        var path = HeaderMapReader.Get(headers.Headers, ":path") ?? "/";
        var method = HeaderMapReader.Get(headers.Headers, ":method") ?? "GET";
        var route = EndpointRegistry.Resolve(path, out var modelId);
        var snapshot = configStore.Current;
        _startedAt = timeProvider.GetUtcNow();
        var requestId = Guid.CreateVersion7(_startedAt).ToString("N");
        _state = new ExchangeState(requestId, snapshot, route, timeProvider.GetTimestamp());
        _anthropicErrors = EndpointRegistry.SpeaksAnthropic(route, path);
        if (snapshot.DataMasking is { } masking)
        {
            // Hashes are keyed per tenant: the caller's tenant header (set by whatever authenticates it), else one shared tenant.
            var tenant = HeaderMapReader.Get(headers.Headers, masking.TenantHeader)?.Trim();
            _state.Tenant = string.IsNullOrEmpty(tenant) ? DataMaskingSettings.DefaultTenant : tenant;
        }

        if (route == EndpointRoute.Unknown)
        {
            return Immediate(ClientError.UnsupportedPath(method, StripQuery(path)));
        }

        var allowed = EndpointRegistry.MethodOf(route);
        if (!string.Equals(method, allowed, StringComparison.Ordinal))
        {
            return Immediate(ClientError.MethodNotAllowed(method, StripQuery(path), allowed));
        }

        switch (route)
        {
            case EndpointRoute.ModelsList:
                _status = 200;
                var models = ImmediateResponses.Json(200, ModelsResponse.List(snapshot), requestId, "ai_gateway_models");
                models.DynamicMetadata = Finish();
                return Reply(models);
            case EndpointRoute.ModelGet:
                if (modelId is null || snapshot.ProvidersFor(modelId).IsEmpty)
                {
                    return Immediate(ClientError.UnknownModel(modelId ?? string.Empty));
                }

                _status = 200;
                var model = ImmediateResponses.Json(200, ModelsResponse.One(snapshot, modelId), requestId, "ai_gateway_model");
                model.DynamicMetadata = Finish();
                return Reply(model);
        }

        if (headers.EndOfStream)
        {
            return Immediate(new ClientError(400, "The request has no body; send a JSON object.", "invalid_request_error", null, "missing_body"));
        }

        _preferHeader = HeaderMapReader.Get(headers.Headers, PreferProviderHeader);
        if (route == EndpointRoute.Messages)
        {
            _anthropicBeta = HeaderMapReader.Get(headers.Headers, AnthropicBetaHeader);
        }

        exchanges.Add(_state);

        // Client-sent gateway headers never travel on; the upstream filter replaces credentials per attempt.
        var mutation = new MutationBuilder().Set(RequestIdHeader, requestId);
        foreach (var name in HeaderMapReader.NamesWithPrefix(headers.Headers, GatewayHeaderPrefix))
        {
            mutation.Remove(name);
        }

        return Reply(new ProcessingResponse
        {
            RequestHeaders = new HeadersResponse { Response = new CommonResponse { HeaderMutation = mutation.Build() } },
        });
    }

    public ValueTask<ProcessingResponse> OnRequestBodyAsync(ProcessingRequest request, CancellationToken cancellationToken)
    {
        var state = _state;
        var kind = state is null ? null : EndpointRegistry.KindOf(state.Route);
        if (state is null || kind is null)
        {
            // A body we did not ask to route (stream started without headers): let it pass.
            return Reply(new ProcessingResponse { RequestBody = new BodyResponse { Response = new CommonResponse() } });
        }

        var body = request.RequestBody.Body;
        if (body.Length > options.MaxRequestBodyBytes)
        {
            return Immediate(ClientError.BodyTooLarge(options.MaxRequestBodyBytes));
        }

        // ByteString is immutable: keeping it is a zero-copy way to keep the original bytes.
        var parsed = ClientRequestReader.Read(kind.Value, body.Memory, out var error);
        if (parsed is null)
        {
            return Immediate(error!);
        }

        if (_anthropicBeta is not null)
        {
            parsed = parsed with { AnthropicBeta = _anthropicBeta };
        }

        if (state.Snapshot.DataMasking is { } masking)
        {
            var masked = RequestMasking.Mask(parsed, masking.Masker, state.Tenant ?? DataMaskingSettings.DefaultTenant);
            _piiFound = masked.Found.Values.Sum();
            metrics.PiiFound(masked.Found, masked.BlockedBy is not null);
            if (masked.BlockedBy is { } type)
            {
                return Immediate(new ClientError(400, $"The request contains personal data of type '{type}', which this gateway does not forward.", "invalid_request_error", null, "pii_blocked"));
            }

            parsed = masked.Request;
            state.Placeholders = masked.Placeholders.Count > 0 ? masked.Placeholders : null;
        }

        var candidates = state.Snapshot.ProvidersFor(parsed.Model);
        if (candidates.IsEmpty)
        {
            return Immediate(ClientError.UnknownModel(parsed.Model));
        }

        candidates = candidates.RemoveAll(p => !translators.TryGet(kind.Value, p.Schema, out _));
        if (candidates.IsEmpty)
        {
            return Immediate(new ClientError(400, $"No provider of model '{parsed.Model}' offers this operation.", "invalid_request_error", "model", "operation_not_supported"));
        }

        var primary = Choose(candidates, parsed.PreferProvider ?? _preferHeader);
        state.Request = parsed;
        state.Primary = primary;
        state.EstimatedInput = TokenCounter.CountRequest(parsed);

        var mutation = new MutationBuilder()
            .Set(ModelHeader, parsed.Model)
            .Set(ProviderHeader, primary.Name);
        var reply = new ProcessingResponse
        {
            RequestBody = new BodyResponse
            {
                Response = new CommonResponse { HeaderMutation = mutation.Build(), ClearRouteCache = true },
            },
        };
        if (state.EstimatedInput is { } estimate)
        {
            // Before the request leaves: for rate limits, budgets and routing further down the chain.
            var fields = new Struct();
            fields.Fields["estimated_input_tokens"] = Value.ForNumber(estimate.Tokens);
            fields.Fields["estimated_input_tokens_exact"] = Value.ForBool(estimate.Exact);
            reply.DynamicMetadata = DynamicMetadataWriter.Build(fields);
        }

        return Reply(reply);
    }

    public ValueTask<ProcessingResponse> OnResponseHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken)
    {
        var headers = request.ResponseHeaders;
        var state = _state;
        _status = int.TryParse(HeaderMapReader.Get(headers.Headers, ":status"), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
        var contentType = HeaderMapReader.Get(headers.Headers, "content-type");
        var provider = state?.LastAttemptProvider;

        _responseTranslator = CreateResponseTranslator(state, provider);
        _responseTranslator.OnResponseHeaders(name => HeaderMapReader.Get(headers.Headers, name));
        var decision = _responseTranslator.OnHeaders(_status, contentType, headers.EndOfStream);
        if (provider is null && _status == 429 && headers.EndOfStream && HeaderMapReader.Get(headers.Headers, "x-envoy-ratelimited") == "true")
        {
            // Envoy's rate-limit filter refused the request (gateway.yaml rate_limiting): the gateway's limit, not a provider's.
            decision = decision with { ReplacementBody = _anthropicErrors ? GatewayRateLimitedAnthropic : GatewayRateLimitedOpenAi };
        }

        var mutation = new MutationBuilder();
        if (state is not null)
        {
            mutation.Set(RequestIdHeader, state.RequestId);
        }

        if (provider is not null)
        {
            mutation.Set(ProviderUsedHeader, provider.Name);
            var map = headers.Headers;
            var now = timeProvider.GetUtcNow();
            rateLimits.Record(provider.Name, RateLimitHeaderParser.Parse(provider.Schema, name => HeaderMapReader.Get(map, name), now), now);
            if (_status == 401)
            {
                RefreshRefusedCredentials(provider);
            }
        }

        var common = new CommonResponse();
        var reply = new ProcessingResponse { ResponseHeaders = new HeadersResponse { Response = common } };
        if (decision.ContentType is not null)
        {
            mutation.Set("content-type", decision.ContentType);
        }

        if (decision.ReplacementBody is not null)
        {
            common.Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace;
            common.BodyMutation = new BodyMutation { Body = UnsafeByteOperations.UnsafeWrap(decision.ReplacementBody) };
        }

        _streaming = decision.StreamBody;
        if (_status == 200 && state?.Request is { } answered && state.Snapshot.DataMasking is { } masking
            && ResponseMasker.Applies(answered.Endpoint, masking.MaskOutput, state.Placeholders))
        {
            _responseMasker = new ResponseMasker(answered.Endpoint, masking.MaskOutput ? masking.Masker : null, state.Tenant ?? DataMaskingSettings.DefaultTenant, state.Placeholders);
        }

        if (decision.StreamBody)
        {
            // Restate both body modes: an override that leaves one out turns it off.
            mutation.Remove("content-length");
            reply.ModeOverride = new ProcessingMode
            {
                RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered,
                ResponseBodyMode = ProcessingMode.Types.BodySendMode.Streamed,
            };
        }

        common.HeaderMutation = mutation.Build();
        if (headers.EndOfStream)
        {
            reply.DynamicMetadata = Finish();
        }

        return Reply(reply);
    }

    public ValueTask<ProcessingResponse> OnResponseBodyAsync(ProcessingRequest request, CancellationToken cancellationToken)
    {
        var body = request.ResponseBody;
        var translator = _responseTranslator ??= CreateResponseTranslator(_state, _state?.LastAttemptProvider);
        var output = _output ??= new ArrayBufferWriter<byte>();
        output.ResetWrittenCount();

        var common = new CommonResponse();
        var translated = translator.OnBody(body.Body.Span, body.EndOfStream, output);
        ReadOnlyMemory<byte>? replacement = translated ? output.WrittenMemory : (ReadOnlyMemory<byte>?)null;
        if (_responseMasker is { } masker)
        {
            // After translation, in the client's format. A stream's held-back text waits for the next chunk; a
            // buffered answer is masked whole.
            var source = translated ? output.WrittenSpan : body.Body.Span;
            if (_streaming)
            {
                var maskedOutput = _maskedOutput ??= new ArrayBufferWriter<byte>();
                maskedOutput.ResetWrittenCount();
                masker.MaskStream(source, body.EndOfStream, maskedOutput);
                replacement = maskedOutput.WrittenMemory;
            }
            else if (body.EndOfStream && masker.MaskJson(source) is { } maskedJson)
            {
                replacement = maskedJson;
            }
        }

        if (_streaming && _status == 200)
        {
            // What the client receives, kept to count the output should the provider report no usage.
            (_streamedOutput ??= new StreamedOutputCollector()).Feed(replacement is { } sent ? sent.Span : body.Body.Span);
        }

        MutationBuilder? headers = null;
        if (!_streaming && body.EndOfStream && _state?.Snapshot.Costs.ResponseHeader == true && Cost() is { } cost)
        {
            // Only buffered answers: their headers are still held, so the cost can travel in them. A stream's
            // headers left before its usage was known; its cost is in the metadata only.
            headers = new MutationBuilder().Set(CostHeader, CostCalculator.FormatUsd(cost));
        }

        if (replacement is { } newBody)
        {
            // The reply is serialized before the next message is read, so the buffers can be reused after it.
            common.BodyMutation = new BodyMutation { Body = ByteString.CopyFrom(newBody.Span) };
            if (!_streaming)
            {
                // BUFFERED: the held headers take this mutation, and content-length must match the new body
                // (a translated JSON answer, a rewritten error, or a masked answer).
                headers = (headers ?? new MutationBuilder())
                    .Set("content-type", "application/json")
                    .Set("content-length", newBody.Length.ToString(CultureInfo.InvariantCulture));
                if (translator.StatusOverride is { } status)
                {
                    _status = status;
                    headers.Set(":status", status.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        if (headers is not null)
        {
            common.HeaderMutation = headers.Build();
        }

        var reply = new ProcessingResponse { ResponseBody = new BodyResponse { Response = common } };
        if (body.EndOfStream)
        {
            reply.DynamicMetadata = Finish();
        }

        return Reply(reply);
    }

    public ProcessingResponse InternalError() =>
        ImmediateResponses.Error(ClientError.Internal(_state?.RequestId ?? "unknown"), _state?.RequestId, _anthropicErrors);

    public void Dispose()
    {
        if (_state is not null)
        {
            exchanges.Remove(_state.RequestId);
        }

        if (!_finished && _streaming && _state?.Request is not null)
        {
            // The stream ended early (client gone): account for what was streamed; there is nobody to send metadata to.
            Finish();
        }

        _responseTranslator?.Dispose();
        _responseTranslator = null;
        _responseMasker?.Dispose();
        _responseMasker = null;
        _streamedOutput?.Dispose();
        _streamedOutput = null;
    }

    private ProviderDefinition Choose(System.Collections.Immutable.ImmutableArray<ProviderDefinition> candidates, string? preferred)
    {
        if (preferred is not null)
        {
            foreach (var candidate in candidates)
            {
                if (string.Equals(candidate.Name, preferred, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }

            Log.PreferredProviderIgnored(logger, _state!.RequestId, preferred);
        }

        return candidates[0];
    }

    /// <summary>
    /// The provider refused the token this request carried (e.g. watsonx's <c>authentication_token_expired</c>):
    /// the gateway cannot replay the request, and OpenAI SDKs do not retry a 401, so this answer goes to the
    /// client as it is, but the next request gets a freshly fetched token (provider-apis.md §6.6).
    /// </summary>
    private void RefreshRefusedCredentials(ProviderDefinition provider)
    {
        if (provider.Auth.Kind is not (ProviderAuthKind.ApiKey or ProviderAuthKind.AwsSigV4)
            && credentials.TryGet(provider.Name, out var providerCredentials)
            && providerCredentials.RefreshNow(_startedAt))
        {
            Log.CredentialRefreshForced(logger, _state?.RequestId ?? "-", provider.Name);
        }
    }

    private IResponseTranslator CreateResponseTranslator(ExchangeState? state, ProviderDefinition? provider)
    {
        if (state?.Request is { } parsed && provider is not null && translators.TryGet(parsed.Endpoint, provider.Schema, out var translator))
        {
            return translator.CreateResponseTranslator(parsed);
        }

        // Local replies (Envoy's 413/504, no route) and anything we did not route: errors become JSON in the
        // client's format.
        return _anthropicErrors
            ? new AnthropicPassThroughResponseTranslator(requestedStream: false)
            : new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: true);
    }

    private Struct? Finish()
    {
        if (_finished || _state is null)
        {
            return null;
        }

        _finished = true;
        var state = _state;
        var usage = FinalUsage();
        var provider = state.LastAttemptProvider?.Name;
        var model = state.Request?.Model;
        metrics.RequestCompleted(state.Route, model, provider, _status, usage, timeProvider.GetElapsedTime(state.StartedAt));
        Log.RequestCompleted(logger, state.RequestId, model ?? "-", provider ?? "-", _status, state.Attempts, usage.InputTokens, usage.OutputTokens);

        var fields = new Struct();
        if (provider is not null)
        {
            fields.Fields["provider"] = Value.ForString(provider);
        }

        if (model is not null)
        {
            fields.Fields["model"] = Value.ForString(model);
        }

        fields.Fields["input_tokens"] = Value.ForNumber(usage.InputTokens);
        fields.Fields["output_tokens"] = Value.ForNumber(usage.OutputTokens);
        fields.Fields["total_tokens"] = Value.ForNumber(usage.TotalTokens);
        fields.Fields["cached_input_tokens"] = Value.ForNumber(usage.CachedInputTokens);
        fields.Fields["cache_write_input_tokens"] = Value.ForNumber(usage.CacheWriteInputTokens);
        fields.Fields["reasoning_tokens"] = Value.ForNumber(usage.ReasoningTokens);
        if (usage.Estimated)
        {
            fields.Fields["usage_estimated"] = Value.ForBool(true);
        }

        if (_piiFound > 0)
        {
            fields.Fields["pii_detected"] = Value.ForNumber(_piiFound);
        }

        if (_responseMasker?.Found is { Count: > 0 } outputFound)
        {
            metrics.PiiFound(outputFound, blocked: false, response: true);
            fields.Fields["pii_detected_in_response"] = Value.ForNumber(outputFound.Values.Sum());
        }

        if (state.EstimatedInput is { } estimate)
        {
            fields.Fields["estimated_input_tokens"] = Value.ForNumber(estimate.Tokens);
        }

        if (Cost() is { } cost)
        {
            fields.Fields["cost_usd_micros"] = Value.ForNumber(cost);
            metrics.CostRecorded(provider!, model!, state.Request?.User, cost);
        }

        return DynamicMetadataWriter.Build(fields);
    }

    /// <summary>
    /// The provider's usage; for a stream that ended without one, our own count: the pre-request input
    /// estimate and the streamed output, marked <see cref="TokenUsage.Estimated"/>.
    /// </summary>
    private TokenUsage FinalUsage()
    {
        if (_finalUsage is { } known)
        {
            return known;
        }

        var usage = _responseTranslator?.Usage ?? default;
        if (!usage.Reported && _streamedOutput is { Length: > 0 } streamed && _state?.Request is { } request)
        {
            var input = _state.EstimatedInput?.Tokens ?? 0;
            var output = streamed.Count(request.Model).Tokens;
            usage = new TokenUsage(input, output, input + output, 0, false) { Estimated = true };
        }

        _finalUsage = usage;
        return usage;
    }

    /// <summary>The request's cost in micro-USD from the final usage; null when unpriced or nothing was counted.</summary>
    private long? Cost()
    {
        if (_costMicros is not null)
        {
            return _costMicros;
        }

        var usage = FinalUsage();
        var provider = _state?.LastAttemptProvider?.Name;
        var model = _state?.Request?.Model;
        if (!usage.Reported && !usage.Estimated || provider is null || model is null
            || !_state!.Snapshot.Costs.TryGetPrice(provider, model, out var price))
        {
            return null;
        }

        return _costMicros = CostCalculator.RoundedMicroUsd(usage, price);
    }

    private ValueTask<ProcessingResponse> Immediate(ClientError error)
    {
        _status = error.Status;
        var reply = ImmediateResponses.Error(error, _state?.RequestId, _anthropicErrors);
        reply.DynamicMetadata = Finish();
        return Reply(reply);
    }

    private static ValueTask<ProcessingResponse> Reply(ProcessingResponse response) => ValueTask.FromResult(response);

    private static string StripQuery(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path[..query];
    }
}
