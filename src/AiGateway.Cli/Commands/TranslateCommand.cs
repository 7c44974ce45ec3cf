using System.Buffers;
using System.CommandLine;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;

namespace AiGateway.Cli.Commands;

/// <summary>
/// <c>aigw translate request|response|stream --from X --to Y</c>: runs a translator on standard input,
/// through the same code extproc uses. Bad schema names and malformed input exit with code 2.
/// </summary>
internal static class TranslateCommand
{
    private const int InputChunkBytes = 4096;

    public static Command Build(Stream input, TextWriter output, TextWriter error)
    {
        var command = new Command("translate", "Translate a request, response or stream read from standard input, as extproc would.");
        command.Subcommands.Add(Kind("request", "A client's request body (OpenAI, or Anthropic Messages) to a provider's format (--from openai|anthropic --to <provider type>).", input, output, error));
        command.Subcommands.Add(Kind("response", "A provider's response body to the client's format (--from <provider type> --to openai|anthropic).", input, output, error));
        command.Subcommands.Add(Kind("stream", "A provider's event stream to the client's SSE (--from <provider type> --to openai|anthropic).", input, output, error));
        return command;
    }

    private static Command Kind(string kind, string description, Stream input, TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "Source schema.", Required = true };
        var to = new Option<string>("--to") { Description = "Target schema.", Required = true };
        var endpoint = new Option<string>("--endpoint") { Description = "chat or embeddings.", DefaultValueFactory = _ => "chat" };
        var model = new Option<string>("--model") { Description = "Model name for responses (requests carry their own).", DefaultValueFactory = _ => "model" };
        var status = new Option<int>("--status") { Description = "HTTP status of the response.", DefaultValueFactory = _ => 200 };
        var includeUsage = new Option<bool>("--include-usage") { Description = "The client asked for stream usage (stream_options.include_usage)." };
        var command = new Command(kind, description) { from, to, endpoint, model, status, includeUsage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (fromName, toName) = (parse.GetValue(from)!, parse.GetValue(to)!);
            var kindOfEndpoint = parse.GetValue(endpoint) switch
            {
                "chat" => EndpointKind.ChatCompletions,
                "embeddings" => EndpointKind.Embeddings,
                _ => (EndpointKind?)null,
            };
            if (kindOfEndpoint is null)
            {
                return await FailAsync(error, "--endpoint must be chat or embeddings").ConfigureAwait(false);
            }

            var providerName = kind == "request" ? toName : fromName;
            var clientName = kind == "request" ? fromName : toName;
            if (clientName is not ("openai" or "anthropic"))
            {
                return await FailAsync(error, $"the client side must be 'openai' or 'anthropic' (got '{clientName}')").ConfigureAwait(false);
            }

            if (clientName == "anthropic")
            {
                // Anthropic clients speak the Messages API, the gateway's only endpoint in their format.
                if (kindOfEndpoint != EndpointKind.ChatCompletions)
                {
                    return await FailAsync(error, "anthropic clients only have the chat (Messages) endpoint").ConfigureAwait(false);
                }

                kindOfEndpoint = EndpointKind.Messages;
            }

            if (!ApiSchemaNames.TryParse(providerName, out var schema))
            {
                return await FailAsync(error, $"unknown schema '{providerName}'; expected one of: {ApiSchemaNames.Known}").ConfigureAwait(false);
            }

            var registry = new TranslatorRegistry();
            if (!registry.TryGet(kindOfEndpoint.Value, schema, out var translator))
            {
                return await FailAsync(error, $"no {parse.GetValue(endpoint)} translator between {clientName} and '{providerName}' yet").ConfigureAwait(false);
            }

            var bytes = await ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
            try
            {
                return kind == "request"
                    ? await TranslateRequestAsync(translator, kindOfEndpoint.Value, schema, bytes, output, error).ConfigureAwait(false)
                    : await TranslateResponseAsync(translator, kindOfEndpoint.Value, kind == "stream", parse.GetValue(model)!, parse.GetValue(status), parse.GetValue(includeUsage), bytes, output).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return await FailAsync(error, $"malformed input: {e.Message}").ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<int> TranslateRequestAsync(ITranslator translator, EndpointKind endpoint, ApiSchema schema, byte[] bytes, TextWriter output, TextWriter error)
    {
        var parsed = ClientRequestReader.Read(endpoint, bytes, out var clientError);
        if (parsed is null)
        {
            return await FailAsync(error, clientError!.Message).ConfigureAwait(false);
        }

        var provider = new ProviderDefinition
        {
            Name = "cli",
            Schema = schema,
            Endpoint = new Uri("https://provider.invalid"),
            Authority = "provider.invalid",
            BasePath = string.Empty,
            ApiKey = new Secret(string.Empty),
            Models = new[] { parsed.Model }.ToFrozenSet(),
            Priority = 0,
            Index = 0,
            IsSupported = true,
            ApiVersion = schema switch
            {
                ApiSchema.AzureOpenAi => GatewayConfigValidator.DefaultAzureApiVersion,
                ApiSchema.Watsonx => GatewayConfigValidator.DefaultWatsonxVersion,
                _ => null,
            },

            // Placeholders so path-building translators (Vertex AI, watsonx) work; only the body is printed.
            Region = schema == ApiSchema.VertexAi ? "global" : null,
            ProjectId = schema switch
            {
                ApiSchema.VertexAi => "project",
                ApiSchema.Watsonx => "PROJECT_ID",
                _ => null,
            },
        };
        var body = new ArrayBufferWriter<byte>();
        var upstream = translator.TranslateRequest(parsed, provider, body);
        if (upstream.Error is { } rejected)
        {
            return await FailAsync(error, $"{rejected.Status} {rejected.Type}: {rejected.Message}").ConfigureAwait(false);
        }

        await output.WriteAsync(Encoding.UTF8.GetString(body.WrittenSpan)).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> TranslateResponseAsync(ITranslator translator, EndpointKind endpoint, bool stream, string model, int status, bool includeUsage, byte[] bytes, TextWriter output)
    {
        // Anthropic streams always carry usage, so a Messages client always "asks" for it.
        var request = new ParsedRequest(endpoint, ReadOnlyMemory<byte>.Empty, model, stream, includeUsage || endpoint == EndpointKind.Messages, null);
        using var responses = translator.CreateResponseTranslator(request);
        responses.OnHeaders(status, stream ? "text/event-stream" : "application/json", bytes.Length == 0);
        var chunkSize = stream ? InputChunkBytes : Math.Max(bytes.Length, 1);
        for (var offset = 0; offset < bytes.Length || offset == 0; offset += chunkSize)
        {
            var chunk = bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset));
            var written = new ArrayBufferWriter<byte>();
            var last = offset + chunkSize >= bytes.Length;
            var changed = responses.OnBody(chunk.Span, last, written);
            if (responses.StatusOverride is { } failedStatus)
            {
                throw new FormatException($"the {(stream ? "stream" : "response")} could not be translated (extproc would answer {failedStatus})");
            }

            await output.WriteAsync(Encoding.UTF8.GetString(changed ? written.WrittenSpan : chunk.Span)).ConfigureAwait(false);
            if (last)
            {
                break;
            }
        }

        if (!stream)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        if (responses.MalformedInput)
        {
            // The translated stream (with error events where the input broke) is on stdout; the exit code says so.
            throw new FormatException("the stream held events that could not be parsed; each was replaced by an error event in the output");
        }

        return 0;
    }

    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("aigw translate: " + message).ConfigureAwait(false);
        return 2;
    }
}
