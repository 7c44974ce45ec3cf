using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>
/// Anthropic Messages clients to any provider the gateway reaches through the OpenAI chat format: the
/// request becomes an OpenAI chat request (<see cref="OpenAiChatRequestWriter"/>), which the provider's own
/// chat translator then translates as it would a chat client's; on the way back that translator's OpenAI
/// answer becomes an Anthropic message or event stream (<see cref="AnthropicToOpenAiResponseTranslator"/>).
/// <see cref="TranslatorRegistry"/> builds one of these for every provider schema with a chat translator,
/// so a new provider serves Messages clients without code of its own.
/// </summary>
/// <param name="chat">The provider's chat completions translator.</param>
public sealed class AnthropicToOpenAiTranslator(ITranslator chat) : ITranslator
{
    // The chat form depends only on the request: attempts and the response side share it.
    private static readonly ConditionalWeakTable<ParsedRequest, ChatForm> Forms = [];

    /// <summary>The chat translator this one feeds.</summary>
    public ITranslator Chat { get; } = chat ?? throw new ArgumentNullException(nameof(chat));

    /// <summary>
    /// True when <paramref name="schema"/> takes <c>top_k</c> as an extension of the OpenAI format (vLLM,
    /// Ollama, Together). Other schemas answer a request with <c>top_k</c> with a 400.
    /// </summary>
    public static bool AcceptsTopK(ApiSchema schema) => schema == ApiSchema.OpenAiCompatible;

    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var form = FormOf(request);
        if (form.Error is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        if (form.HasTopK && !AcceptsTopK(provider.Schema))
        {
            return UpstreamRequest.Failed(new ClientError(
                400,
                $"'top_k' is not supported by provider '{provider.Name}' ({ApiSchemaNames.ToName(provider.Schema)}); only Anthropic and OpenAI-compatible providers take it.",
                "invalid_request_error",
                "top_k",
                "unsupported_parameter"));
        }

        return Chat.TranslateRequest(form.Request, provider, body);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = FormOf(request);
        return new AnthropicToOpenAiResponseTranslator(Chat.CreateResponseTranslator(form.Request), request.Model, request.Stream);
    }

    /// <summary>The request in OpenAI chat form (computed once per request), or the reason it has none.</summary>
    internal static ChatForm FormOf(ParsedRequest request) => Forms.GetValue(request, Convert);

    private static ChatForm Convert(ParsedRequest request)
    {
        var body = new ArrayBufferWriter<byte>(request.Body.Length + 256);
        ClientError? error;
        bool hasTopK;
        try
        {
            error = OpenAiChatRequestWriter.Write(request.Body, body, out hasTopK);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // Only a request that skipped AnthropicRequestReader gets here (a response-only translation).
            error = ClientError.MalformedJson("the body is not a Messages request");
            hasTopK = false;
        }

        // The chat translators' response side reads the request's model and stream flag; usage is always
        // asked for, because a Messages stream reports it in message_delta.
        var chatBody = error is null ? body.WrittenMemory : "{}"u8.ToArray();
        return new ChatForm(new ParsedRequest(EndpointKind.ChatCompletions, chatBody, request.Model, request.Stream, ClientWantsUsage: true, PreferProvider: null), error, hasTopK);
    }

    /// <summary>A Messages request in OpenAI chat form.</summary>
    /// <param name="Request">The chat request (an empty object when <paramref name="Error"/> is set).</param>
    /// <param name="Error">Why the request cannot be expressed in the OpenAI format, or null.</param>
    /// <param name="HasTopK">True when the request set <c>top_k</c>.</param>
    internal sealed record ChatForm(ParsedRequest Request, ClientError? Error, bool HasTopK);
}
