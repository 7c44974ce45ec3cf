namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>Starts a mock server and an HttpClient bound to it; every call is bounded by <see cref="Timeout"/>.</summary>
internal sealed class MockServerFixture : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _timeout = new(Timeout);

    private MockServerFixture(MockProviderServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout };
    }

    public MockProviderServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>Cancelled 5 s after the fixture started: pass it to every await so no test can hang.</summary>
    public CancellationToken Ct => _timeout.Token;

    public static async Task<MockServerFixture> StartAsync(MockProviderOptions? options = null)
    {
        using var startTimeout = new CancellationTokenSource(Timeout);
        var server = await MockProviderServer.StartAsync(options ?? new MockProviderOptions(), startTimeout.Token);
        return new MockServerFixture(server);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, path, json, HttpCompletionOption.ResponseContentRead, headers);

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? json,
        HttpCompletionOption completion,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request, completion, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _timeout.Dispose();
    }
}
