using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.TestKit;
using Envoy.Service.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests;

public sealed class ExternalProcessorServiceTests
{
    [Fact]
    public async Task Answers_an_unexpected_failure_with_a_500_openai_error_and_logs_it_once()
    {
        // Arrange: a translator that throws stands in for any bug in request handling.
        var translators = TranslatorRegistry.BuiltIn(TimeProvider.System);
        translators[(EndpointKind.ChatCompletions, ApiSchema.OpenAi)] = new ThrowingTranslator();
        await using var server = await ExtProcTestServer.StartAsync(
            FixtureFiles.Path("gateway.yaml"),
            services => services.AddSingleton(new TranslatorRegistry(translators)));
        using var router = server.Open();
        var headers = await router.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await router.SendAsync(RequestBody("""{"model":"gpt-4o","messages":[]}"""));
        var requestId = SetValue(headers.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!;
        using var upstream = server.Open(upstream: true);

        // Act
        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai", ("x-ai-gateway-request-id", requestId)));

        // Assert
        Assert.Equal(500, (int)reply.ImmediateResponse.Status.Code);
        using var json = JsonDocument.Parse(reply.ImmediateResponse.Body.ToStringUtf8());
        Assert.Equal("internal_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(requestId, json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var logged = Assert.Single(server.Logs.Errors);
        Assert.Equal("StreamFailed", logged.EventId.Name);
    }

    [Fact]
    public async Task A_stream_reset_by_envoy_is_a_normal_end_and_logs_no_error()
    {
        await using var server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway.yaml"));
        var router = server.Open();
        await router.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        router.Dispose();
        using var probe = server.Open();
        await probe.SendAsync(RequestHeaders("GET", "/v1/models", endOfStream: true));

        Assert.Empty(server.Logs.Errors);
    }

    [Fact]
    public async Task Accepts_a_body_as_large_as_the_envoy_buffer_limit_we_ship()
    {
        // envoy/envoy.yaml buffers up to 8 MiB; the gRPC message carrying such a body must get through.
        await using var server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway.yaml"));
        using var router = server.Open();
        await router.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        var padding = new string('x', (8 * 1024 * 1024) - 100);

        var reply = await router.SendAsync(RequestBody("{\"model\":\"gpt-4o\",\"pad\":\"" + padding + "\"}"));

        Assert.Equal("openai", SetValue(reply.RequestBody.Response.HeaderMutation, "x-ai-gateway-provider"));
    }

    private sealed class ThrowingTranslator : ITranslator
    {
        public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body) =>
            throw new InvalidOperationException("simulated bug");

        public IResponseTranslator CreateResponseTranslator(ParsedRequest request) => throw new InvalidOperationException("simulated bug");
    }
}
