using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>A harness running a rate limit fixture against a recording rate-limit service ("ratelimit:8081").</summary>
public sealed class RateLimitTestStack : IAsyncDisposable
{
    private readonly WebApplication _service;
    private readonly List<RateLimitRequest> _calls;

    private RateLimitTestStack(WebApplication service, List<RateLimitRequest> calls, HarnessTestEnvironment env)
    {
        _service = service;
        _calls = calls;
        Env = env;
    }

    public HarnessTestEnvironment Env { get; }

    public HttpClient Client => Env.Client;

    public EnvoyHarnessStats Stats => Env.Harness.Stats;

    /// <summary>The calls the service received so far, in arrival order.</summary>
    public IReadOnlyList<RateLimitRequest> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Starts the stack; the service answers OK for every descriptor unless <paramref name="answer"/> says otherwise.</summary>
    public static async Task<RateLimitTestStack> StartAsync(
        string fixture,
        Func<RateLimitRequest, ServerCallContext, Task<RateLimitResponse>>? answer = null,
        Func<ExtProcCall, Task>? extProc = null)
    {
        var (service, address, calls) = await RateLimitServers.StartRecordingAsync(answer ?? ((request, _) => Task.FromResult(RateLimitServers.Ok(request))));
        var env = await HarnessTestEnvironment.StartAsync(
            fixture,
            extProc ?? (call => ExtProcReplies.RespondToAllAsync(call)),
            moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });
        return new RateLimitTestStack(service, calls, env);
    }

    /// <summary>"key=value,key=value" for each descriptor of a call.</summary>
    public static IReadOnlyList<string> Describe(RateLimitRequest call) =>
        call.Descriptors.Select(d => string.Join(',', d.Entries.Select(e => e.Key + "=" + e.Value))).ToArray();

    /// <summary>Sends a GET for <paramref name="path"/> with the given headers and waits for the harness's record of it.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        var count = Env.Harness.Requests.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            if (name == "host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        var response = await Client.SendAsync(request);
        await Env.RecordAsync(count + 1);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        await _service.DisposeAsync();
    }
}
