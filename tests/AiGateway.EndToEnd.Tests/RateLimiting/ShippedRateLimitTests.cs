using System.Net;
using System.Text;

namespace AiGateway.EndToEnd.Tests.RateLimiting;

/// <summary>The shipped sample's <c>rate_limiting</c> (envoy/envoy.yaml and envoy/ratelimit/config.yaml) in the stack every e2e test runs.</summary>
public sealed class ShippedRateLimitTests : IAsyncLifetime
{
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task A_users_requests_are_counted_against_the_samples_per_user_token_and_per_address_limits()
    {
        using var http = _stack.HttpClient();

        // The sample keeps Envoy's 20 ms filter timeout and fails open: on a loaded test machine a call can time out,
        // and that request goes on without x-ratelimit headers. The first answered call carries them.
        HttpResponseMessage? answered = null;
        var sent = 0;
        while (answered is null && sent < 30)
        {
            var response = await SendAsync(http, "carol");
            sent++;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.Contains("x-ratelimit-limit"))
            {
                answered = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(answered);
        using var _ = answered;
        var limit = answered.Headers.GetValues("x-ratelimit-limit").Single();
        Assert.Contains(", 600;w=60;name=\"requests-per-user\"", limit, StringComparison.Ordinal);
        Assert.Contains(", 1000000;w=3600;name=\"tokens-per-user\"", limit, StringComparison.Ordinal);
        Assert.Contains(", 10000;w=60;name=\"requests-per-address\"", limit, StringComparison.Ordinal);
        Assert.StartsWith("600, ", limit, StringComparison.Ordinal);
        Assert.InRange(int.Parse(answered.Headers.GetValues("x-ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture), 600 - sent, 599);
        Assert.True(_stack.Envoy.Stats.Get("cluster.aigw/openai/local-vllm/azure.ratelimit.ok") >= 1);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-user-id", user);
        return await http.SendAsync(request);
    }
}
