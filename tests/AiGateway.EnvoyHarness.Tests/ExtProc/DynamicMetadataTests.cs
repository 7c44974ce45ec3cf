using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>Dynamic metadata written by the processor (envoy-protocol.md §2.9) and read by header_mutation.</summary>
public sealed class DynamicMetadataTests
{
    private static Struct Namespaces(params (string Ns, Struct Values)[] namespaces)
    {
        var result = new Struct();
        foreach (var (ns, values) in namespaces)
        {
            result.Fields[ns] = Value.ForStruct(values);
        }

        return result;
    }

    [Fact(Timeout = 10_000)]
    public async Task Metadata_is_written_only_for_receiving_namespaces_and_merged_key_by_key()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
        {
            var reply = ExtProcReplies.ContinueFor(r);
            reply.DynamicMetadata = r.RequestCase == RequestCase.RequestHeaders
                ? Namespaces(
                    ("ai_gateway", new Struct { Fields = { ["a"] = Value.ForNumber(1), ["b"] = Value.ForString("x") } }),
                    ("other", new Struct { Fields = { ["z"] = Value.ForNumber(1) } }))
                : Namespaces(("ai_gateway", new Struct { Fields = { ["b"] = Value.ForString("y"), ["c"] = Value.ForBool(true) } }));
            return reply;
        }));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        var record = await env.RecordAsync();
        Assert.False(record.DynamicMetadata.ContainsKey("other"));
        var metadata = record.Metadata("ai_gateway");
        Assert.Equal(1.0, metadata["a"]);
        Assert.Equal("y", metadata["b"]);
        Assert.Equal(true, metadata["c"]);
        Assert.Equal(metadata, env.Harness.LastDynamicMetadata("ai_gateway"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Header_mutation_renders_an_integral_number_from_metadata_as_an_integer()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
        {
            if (!call.IsUpstream)
            {
                return null;
            }

            var reply = ExtProcReplies.ContinueFor(r, new CommonResponse
            {
                Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("hello") },
            });
            reply.DynamicMetadata = Namespaces(("ai_gateway", new Struct { Fields = { ["content_length"] = Value.ForNumber(5) } }));
            return reply;
        }));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("original body"));

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("5", upstream.Header("content-length"));
        Assert.Equal("hello", upstream.BodyText);
        Assert.Equal(5.0, (await env.RecordAsync()).Metadata("ai_gateway")["content_length"]);
    }

    [Fact(Timeout = 10_000)]
    public async Task Header_mutation_adds_nothing_when_the_metadata_is_missing()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream
                ? ExtProcReplies.ContinueFor(r, new CommonResponse
                {
                    Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                    BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("hello") },
                })
                : null));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("original body"));

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Null(upstream.Header("content-length"));
        Assert.Equal("chunked", upstream.Header("transfer-encoding"));
        Assert.Equal("hello", upstream.BodyText);
    }
}
