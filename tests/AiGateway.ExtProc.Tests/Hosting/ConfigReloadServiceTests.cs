using System.Text.Json;
using AiGateway.TestKit;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests.Hosting;

public sealed class ConfigReloadServiceTests
{
    [Fact]
    public async Task Serves_a_changed_gateway_yaml_and_keeps_the_last_good_one_when_a_change_is_invalid()
    {
        await using var server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway.yaml"));

        await ReplaceAsync(server.ConfigPath, "providers:\n  - { name: one, type: openai, endpoint: \"http://one/v1\", models: [only-model] }\n");
        await WaitForModelsAsync(server, ["only-model"]);

        await ReplaceAsync(server.ConfigPath, "providers: [ { name: 'bad name', type: nope } ]\n");
        await WaitUntilAsync(() => server.Logs.Entries.Any(e => e.EventId.Name == "ConfigReloadFailed"));

        Assert.Equal(["only-model"], await ModelsAsync(server));
        var failure = server.Logs.Entries.Single(e => e.EventId.Name == "ConfigReloadFailed").Message;
        Assert.Contains("providers[0].name: 'bad name' may only contain", failure, StringComparison.Ordinal);
        Assert.Contains("providers[0].type: unknown provider type 'nope'", failure, StringComparison.Ordinal);
    }

    /// <summary>Replaces the file in one step, as editors and Kubernetes ConfigMap updates do.</summary>
    private static async Task ReplaceAsync(string path, string content)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<List<string>> ModelsAsync(ExtProcTestServer server)
    {
        using var stream = server.Open();
        var reply = await stream.SendAsync(RequestHeaders("GET", "/v1/models", endOfStream: true));
        using var json = JsonDocument.Parse(reply.ImmediateResponse.Body.ToStringUtf8());
        return json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
    }

    private static async Task WaitForModelsAsync(ExtProcTestServer server, List<string> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await ModelsAsync(server)).SequenceEqual(expected))
        {
            Assert.True(DateTime.UtcNow < deadline, "the changed configuration was not served in time");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(50);
        }
    }
}
