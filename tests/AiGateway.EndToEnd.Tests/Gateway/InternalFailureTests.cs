using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>An unexpected failure inside extproc is a 500 in OpenAI format, never a hang or a crash.</summary>
public sealed class InternalFailureTests
{
    [Fact]
    public async Task An_internal_failure_gets_500_as_openai_error_json()
    {
        var translators = TranslatorRegistry.BuiltIn(TimeProvider.System);
        translators[(EndpointKind.ChatCompletions, ApiSchema.OpenAi)] = new ThrowingTranslator();
        await using var stack = await GatewayStack.StartAsync(services => services.AddSingleton(new TranslatorRegistry(translators)));
        using var http = stack.HttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o","messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("internal_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(stack.Provider.Requests);
    }

    private sealed class ThrowingTranslator : ITranslator
    {
        public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body) =>
            throw new InvalidOperationException("simulated bug");

        public IResponseTranslator CreateResponseTranslator(ParsedRequest request) => throw new InvalidOperationException("simulated bug");
    }
}
