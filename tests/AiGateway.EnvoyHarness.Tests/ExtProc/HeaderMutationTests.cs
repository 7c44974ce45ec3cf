using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>Header mutations from ext_proc replies (envoy-protocol.md §2.7).</summary>
public sealed class HeaderMutationTests
{
    private static ProcessingResponse OnRequestHeaders(ProcessingRequest request, HeaderMutation mutation) =>
        request.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders
            ? ExtProcReplies.ContinueFor(request, new CommonResponse { HeaderMutation = mutation })
            : ExtProcReplies.ContinueFor(request);

    [Fact(Timeout = 10_000)]
    public async Task A_value_only_header_mutation_yields_an_empty_header_value()
    {
        // Arrange
        var mutation = new HeaderMutation();
        mutation.SetHeaders.Add(new HeaderValueOption { Header = new HeaderValue { Key = "x-from-value", Value = "ignored" } });
        mutation.SetHeaders.Add(new HeaderValueOption { Header = new HeaderValue { Key = "x-from-raw", RawValue = ByteString.CopyFromUtf8("used"), Value = "ignored" } });
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r => OnRequestHeaders(r, mutation)));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal(string.Empty, upstream.Header("x-from-value"));
        Assert.Equal("used", upstream.Header("x-from-raw"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Append_unset_or_false_overwrites_and_true_adds_a_value()
    {
        // Arrange
        var mutation = new HeaderMutation();
        mutation.SetHeaders.Add(Option("x-unset", "new", append: null));
        mutation.SetHeaders.Add(Option("x-false", "new", append: false));
        mutation.SetHeaders.Add(Option("x-true", "new", append: true));
        mutation.SetHeaders.Add(new HeaderValueOption
        {
            Header = new HeaderValue { Key = "x-action", RawValue = ByteString.CopyFromUtf8("new") },
            AppendAction = HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent,
        });
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r => OnRequestHeaders(r, mutation)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        foreach (var name in new[] { "x-unset", "x-false", "x-true", "x-action" })
        {
            request.Headers.TryAddWithoutValidation(name, "old");
        }

        // Act
        using var response = await env.Client.SendAsync(request);

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("new", upstream.Header("x-unset"));
        Assert.Equal("new", upstream.Header("x-false"));
        Assert.Equal(["old", "new"], upstream.Header("x-true")!.Split(',', StringSplitOptions.TrimEntries));
        Assert.Equal("new", upstream.Header("x-action"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Routing_and_envoy_headers_are_protected_by_default_and_counted()
    {
        // Arrange
        var mutation = ExtProcReplies.Set(("host", "evil"), (":authority", "evil"), (":method", "DELETE"), ("x-envoy-retry-on", "5xx"), (":path", "/rewritten"), ("x-allowed", "yes"));
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r => OnRequestHeaders(r, mutation)));

        // Act
        using var response = await env.Client.GetAsync("/original");

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("GET", upstream.Method);
        Assert.Equal("/rewritten", upstream.Path);
        Assert.Equal(env.Harness.BaseAddress.Authority, upstream.Header("host"));
        Assert.Null(upstream.Header("x-envoy-retry-on"));
        Assert.Equal("yes", upstream.Header("x-allowed"));
        Assert.Equal(4, env.Harness.Stats.Get("http.test.ext_proc.rejected_header_mutations"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Removing_pseudo_headers_or_host_is_ignored()
    {
        // Arrange
        var mutation = new HeaderMutation { RemoveHeaders = { ":path", "host", ":authority", "x-remove-me" } };
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r => OnRequestHeaders(r, mutation)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/kept");
        request.Headers.TryAddWithoutValidation("x-remove-me", "1");

        // Act
        using var response = await env.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("/kept", upstream.Path);
        Assert.Null(upstream.Header("x-remove-me"));
        Assert.Equal(3, env.Harness.Stats.Get("http.test.ext_proc.rejected_header_mutations"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_disallowed_mutation_fails_the_request_with_disallow_is_error()
    {
        // Arrange
        var mutation = ExtProcReplies.Set((":authority", "evil"));
        await using var env = await HarnessTestEnvironment.StartAsync("request_headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r => OnRequestHeaders(r, mutation)));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
    }

    [Fact(Timeout = 10_000)]
    public async Task Allow_all_routing_lets_an_upstream_filter_rewrite_authority_and_path()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream ? OnRequestHeaders(r, ExtProcReplies.Set((":authority", "provider.example"), (":path", "/v1/provider"))) : null));

        // Act
        using var response = await env.Client.GetAsync("/v1/chat");

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("provider.example", upstream.Header("host"));
        Assert.Equal("/v1/provider", upstream.Path);
    }

    [Fact(Timeout = 10_000)]
    public async Task Response_status_can_be_set_to_a_number_of_at_least_200()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.ResponseHeaders
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set((":status", "418")) })
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal((HttpStatusCode)418, response.StatusCode);
    }

    private static HeaderValueOption Option(string key, string value, bool? append) => new()
    {
        Header = new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) },
        Append = append,
    };
}
