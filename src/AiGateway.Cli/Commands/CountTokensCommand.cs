using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;

namespace AiGateway.Cli.Commands;

/// <summary>
/// <c>aigw count-tokens</c>: counts the input tokens of a request body (or plain text with <c>--text</c>)
/// read from standard input, with the same counter extproc uses, and prints one JSON line. Bad input exits 2.
/// <c>accuracy</c> says <c>exact</c>, or <c>estimated (family, ±x%)</c> with the 95th-percentile error the family's
/// estimator was calibrated to (docs/tokens-and-costs.md), or <c>estimated (family)</c> when no error was measured.
/// </summary>
internal static class CountTokensCommand
{
    public static Command Build(Stream input, TextWriter output, TextWriter error)
    {
        var model = new Option<string?>("--model") { Description = "Model to count for; a request body's own model when omitted (plain text: gpt-4o)." };
        var endpoint = new Option<string>("--endpoint") { Description = "Request format: chat, embeddings or messages (Anthropic).", DefaultValueFactory = _ => "chat" };
        var text = new Option<bool>("--text") { Description = "Standard input is plain text, not a request body." };
        var command = new Command("count-tokens", "Count the input tokens of a request body (or text) read from standard input, as extproc does.") { model, endpoint, text };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            var bytes = buffer.ToArray();
            var requestedModel = parse.GetValue(model);
            TokenCount count;
            string counted;
            if (parse.GetValue(text))
            {
                counted = requestedModel ?? "gpt-4o";
                count = TokenCounter.CountText(counted, Encoding.UTF8.GetString(bytes));
            }
            else
            {
                EndpointKind? kind = parse.GetValue(endpoint) switch
                {
                    "chat" => EndpointKind.ChatCompletions,
                    "embeddings" => EndpointKind.Embeddings,
                    "messages" => EndpointKind.Messages,
                    _ => null,
                };
                if (kind is null)
                {
                    return await FailAsync(error, $"unknown endpoint '{parse.GetValue(endpoint)}'; expected chat, embeddings or messages").ConfigureAwait(false);
                }

                var request = ClientRequestReader.Read(kind.Value, bytes, out var problem);
                if (request is null)
                {
                    return await FailAsync(error, problem!.Message).ConfigureAwait(false);
                }

                if (requestedModel is not null)
                {
                    request = request with { Model = requestedModel };
                }

                counted = request.Model;
                count = TokenCounter.CountRequest(request)!.Value;
            }

            var result = new Result(counted, count.Tokens, count.Exact, TokenEncodings.Name(count.Encoding), count.Family, Accuracy(count, ModelTokenProfile.For(counted)));
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ResultJson.Default.Result)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary><c>exact</c>, <c>estimated (claude, ±8%)</c>, or <c>estimated (other)</c> when the error is not measured.</summary>
    internal static string Accuracy(TokenCount count, ModelTokenProfile profile) =>
        count.Exact ? "exact"
        : profile.Estimator is { } estimator ? string.Create(CultureInfo.InvariantCulture, $"estimated ({count.Family}, ±{Math.Ceiling(estimator.P95Error * 100)}%)")
        : $"estimated ({count.Family})";

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("aigw count-tokens: " + message).ConfigureAwait(false);
        return 2;
    }

    internal sealed record Result(string Model, long Tokens, bool Exact, string Encoding, string Family, string Accuracy);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CountTokensCommand.Result))]
internal sealed partial class ResultJson : System.Text.Json.Serialization.JsonSerializerContext;
