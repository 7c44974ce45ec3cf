using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Hosting;

public sealed class AdminHandlerTests
{
    private const string Chat = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Lists_recorded_requests_as_json_and_is_not_recorded_itself()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        using var _ = await mock.PostJsonAsync("/v1/chat/completions?x=1", Chat, ("X-Trace", "t1"));

        // Act
        using var response = await mock.Client.GetAsync("/_mock/requests", mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        var recorded = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("POST", recorded.GetProperty("method").GetString());
        Assert.Equal("/v1/chat/completions?x=1", recorded.GetProperty("path").GetString());
        Assert.Equal("t1", recorded.GetProperty("headers").GetProperty("X-Trace").GetString());
        Assert.Equal(Chat, recorded.GetProperty("body").GetString());
        Assert.Single(mock.Server.Requests);
    }

    [Fact]
    public async Task Delete_requests_clears_the_recording()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        using var _ = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Act
        using var response = await mock.Client.DeleteAsync("/_mock/requests", mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(mock.Server.Requests);
    }

    [Fact]
    public async Task Posting_a_fault_makes_the_next_request_fail_and_delete_clears_faults()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var added = await mock.PostJsonAsync("/_mock/faults", """{"path_prefix":"/v1/chat","status":429,"retry_after_seconds":4,"times":1}""");
        using var listed = await mock.Client.GetAsync("/_mock/faults", mock.Ct);
        var listing = await listed.Content.ReadAsStringAsync(mock.Ct);
        using var faulted = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var __ = await mock.PostJsonAsync("/_mock/faults", """{"status":500}""");
        using var cleared = await mock.Client.DeleteAsync("/_mock/faults", mock.Ct);
        using var normal = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Assert
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Contains("\"status\":429", listing);
        Assert.Equal(HttpStatusCode.TooManyRequests, faulted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), faulted.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
    }

    [Theory]
    [InlineData("""{"status":200}""", "status")]
    [InlineData("""{"stauts":500}""", "stauts")]
    [InlineData("""{"status":""", "")]
    public async Task An_invalid_fault_gets_a_400(string body, string mention)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/_mock/faults", body);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mention, await response.Content.ReadAsStringAsync(mock.Ct));
        Assert.Empty(mock.Server.Faults);
    }
}
