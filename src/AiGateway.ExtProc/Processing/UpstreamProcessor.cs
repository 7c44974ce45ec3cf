using System.Buffers;
using System.Globalization;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.Core.Upstreams;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.ExtProc.Endpoints;
using AiGateway.ExtProc.Envoy;
using AiGateway.ExtProc.Telemetry;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc.Processing;

/// <summary>
/// The upstream-level stream: once per attempt. Finds the request's exchange, translates the kept
/// original body for this attempt's provider, sets path, host and credentials, and answers
/// CONTINUE_AND_REPLACE. Idempotent on headers: Envoy hands each retry the header map the previous
/// attempt left behind.
/// </summary>
internal sealed class UpstreamProcessor(
    ExchangeStore exchanges,
    TranslatorRegistry translators,
    UpstreamCredentialStore credentials,
    GatewayMetrics metrics,
    ILogger logger) : IExchangeProcessor
{
    /// <summary>The attribute expression, as configured in envoy.yaml, that names the attempt's provider.</summary>
    public const string ProviderAttribute = "xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']";

    /// <summary>Key of the attributes map Envoy fills for ext_proc.</summary>
    public const string AttributesKey = "envoy.filters.http.ext_proc";

    private static readonly string[] RoutingHeaders =
    [
        RouterProcessor.ModelHeader,
        RouterProcessor.ProviderHeader,
        RouterProcessor.PreferProviderHeader,
        "x-ai-gateway-tags",
    ];

    private string? _requestId;
    private bool _anthropic;

    // The upstream filter sends request headers only (envoy.yaml): its one reply is the last.
    public bool IsComplete { get; private set; }

    public async ValueTask<ProcessingResponse> OnRequestHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken)
    {
        IsComplete = true;
        var headers = request.RequestHeaders.Headers;
        _requestId = HeaderMapReader.Get(headers, RouterProcessor.RequestIdHeader);
        if (_requestId is null || !exchanges.TryGet(_requestId, out var state) || state.Request is not { } parsed)
        {
            // Without the exchange the client's format is a guess from the path (a first attempt still has the client's).
            var path = HeaderMapReader.Get(headers, ":path") ?? "/";
            _anthropic = EndpointRegistry.SpeaksAnthropic(EndpointRegistry.Resolve(path, out _), path);
            Log.UnknownExchange(logger, _requestId ?? "-");
            return (ImmediateResponses.Error(
                new ClientError(500, "The gateway lost track of this request between its router and upstream filters; extproc must run as one process beside each Envoy.", "server_error", null, "exchange_not_found"),
                _requestId,
                _anthropic));
        }

        _anthropic = parsed.Endpoint == EndpointKind.Messages;
        var providerName = ProviderOf(request) ?? HeaderMapReader.Get(headers, RouterProcessor.ProviderHeader);
        if (providerName is null || !state.Snapshot.TryGetProvider(providerName, out var provider))
        {
            return (ImmediateResponses.Error(
                new ClientError(502, $"The upstream endpoint is not a configured provider ('{providerName ?? "none"}'); re-render envoy.yaml from gateway.yaml.", "server_error", null, "unknown_provider"),
                state.RequestId,
                _anthropic));
        }

        if (!provider.Models.Contains(parsed.Model) || !translators.TryGet(parsed.Endpoint, provider.Schema, out var translator))
        {
            return (ImmediateResponses.Error(
                new ClientError(502, $"Provider '{provider.Name}' cannot serve model '{parsed.Model}' on this endpoint; re-render envoy.yaml from gateway.yaml.", "server_error", null, "provider_mismatch"),
                state.RequestId,
                _anthropic));
        }

        var attempt = state.BeginAttempt(provider);
        metrics.AttemptStarted(provider.Name, attempt);
        if (attempt > 1)
        {
            Log.FallbackAttempt(logger, state.RequestId, attempt, provider.Name);
        }

        var body = new ArrayBufferWriter<byte>(parsed.Body.Length + 64);
        var upstream = translator.TranslateRequest(parsed, provider, body);
        if (upstream.Error is { } clientError)
        {
            // The provider of this attempt cannot honour the request; Envoy sends this to the client as is.
            return ImmediateResponses.Error(clientError, state.RequestId, _anthropic);
        }

        var headersToSet = upstream.Headers;
        if (credentials.TryGet(provider.Name, out var providerCredentials))
        {
            var withCredentials = new List<KeyValuePair<string, string>>(upstream.Headers);
            var outcome = await providerCredentials
                .ApplyAsync(new UpstreamAttempt(provider, "POST", upstream.Path, upstream.Headers, body.WrittenMemory), withCredentials, cancellationToken)
                .ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                Log.CredentialUnavailable(logger, state.RequestId, provider.Name, outcome.Error!);
                return ImmediateResponses.Error(
                    new ClientError(502, $"The gateway could not authenticate to provider '{provider.Name}': {outcome.Error}", "server_error", null, "upstream_auth_failed"),
                    state.RequestId,
                    _anthropic);
            }

            headersToSet = withCredentials;
        }

        var mutation = new MutationBuilder()
            .Set(":path", upstream.Path)
            .Set(":authority", provider.Authority);
        foreach (var (name, value) in headersToSet)
        {
            mutation.Set(name, value);
        }

        foreach (var name in UpstreamHeaders.Credentials)
        {
            mutation.Remove(name);
        }

        foreach (var name in RoutingHeaders)
        {
            mutation.Remove(name);
        }

        var metadata = new Struct
        {
            Fields =
            {
                ["content_length"] = Value.ForNumber(body.WrittenCount),
                ["upstream_provider"] = Value.ForString(provider.Name),
                ["attempts"] = Value.ForNumber(attempt),
            },
        };

        return (new ProcessingResponse
        {
            RequestHeaders = new HeadersResponse
            {
                Response = new CommonResponse
                {
                    Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                    HeaderMutation = mutation.Build(),
                    BodyMutation = new BodyMutation { Body = UnsafeByteOperations.UnsafeWrap(body.WrittenMemory) },
                },
            },
            DynamicMetadata = DynamicMetadataWriter.Build(metadata),
        });
    }

    // The upstream filter only sends request headers (envoy.yaml); anything else passes unchanged.
    public ValueTask<ProcessingResponse> OnRequestBodyAsync(ProcessingRequest request, CancellationToken cancellationToken) =>
        Reply(new ProcessingResponse { RequestBody = new BodyResponse { Response = new CommonResponse() } });

    public ValueTask<ProcessingResponse> OnResponseHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken) =>
        Reply(new ProcessingResponse { ResponseHeaders = new HeadersResponse { Response = new CommonResponse() } });

    public ValueTask<ProcessingResponse> OnResponseBodyAsync(ProcessingRequest request, CancellationToken cancellationToken) =>
        Reply(new ProcessingResponse { ResponseBody = new BodyResponse { Response = new CommonResponse() } });

    public ProcessingResponse InternalError() =>
        ImmediateResponses.Error(ClientError.Internal(_requestId ?? "unknown"), _requestId, _anthropic);

    public void Dispose()
    {
    }

    /// <summary>True when the first message carries the provider attribute only upstream filters are configured with.</summary>
    public static bool HasUpstreamAttributes(ProcessingRequest request) => ProviderOf(request) is not null;

    private static string? ProviderOf(ProcessingRequest request)
    {
        if (!request.Attributes.TryGetValue(AttributesKey, out var attributes)
            || !attributes.Fields.TryGetValue(ProviderAttribute, out var value))
        {
            return null;
        }

        return value.KindCase switch
        {
            Value.KindOneofCase.StringValue when value.StringValue.Length > 0 => value.StringValue,
            Value.KindOneofCase.NumberValue => value.NumberValue.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static ValueTask<ProcessingResponse> Reply(ProcessingResponse response) => ValueTask.FromResult(response);
}
