using System.Threading.Channels;
using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Credentials;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Upstreams.Credentials;

public sealed class RefreshingAccessTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Hands_out_the_first_token_to_requests_that_arrive_before_it_was_fetched()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);

        var pending = token.GetAsync(CancellationToken.None).AsTask();
        issuer.Answer(TimeSpan.FromHours(1));

        Assert.Equal(("token-1", (string?)null), await pending);
        Assert.Equal(1, issuer.Calls);
    }

    [Fact]
    public async Task Refreshes_five_minutes_before_an_hour_long_token_expires_without_a_request_waiting()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);
        issuer.Answer(TimeSpan.FromHours(1));
        await token.GetAsync(CancellationToken.None);

        await LoopReachesItsTimer();
        time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(1, issuer.Calls);
        time.Advance(TimeSpan.FromMinutes(1));
        await issuer.WaitForCallAsync(2);
        issuer.Answer(TimeSpan.FromHours(1));
        await WaitUntil(() => token.TryGetCurrent(out var t) && t == "token-2");

        Assert.True(token.TryGetCurrent(out var current));
        Assert.Equal("token-2", current);
    }

    [Fact]
    public async Task Keeps_serving_the_old_token_while_refreshes_fail_and_retries_them()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        var failures = new List<string>();
        using var token = new RefreshingAccessToken(issuer, time, failures.Add);
        issuer.Answer(TimeSpan.FromMinutes(10));
        await token.GetAsync(CancellationToken.None);

        await LoopReachesItsTimer();
        time.Advance(TimeSpan.FromMinutes(8));
        await issuer.WaitForCallAsync(2);
        issuer.Fail("IAM answered 503");
        await WaitUntil(() => token.LastError is not null);

        Assert.True(token.TryGetCurrent(out var current));
        Assert.Equal("token-1", current);
        Assert.Equal(["IAM answered 503"], failures);

        await LoopReachesItsTimer();
        time.Advance(TimeSpan.FromSeconds(1));
        await issuer.WaitForCallAsync(3);
    }

    [Fact]
    public async Task Fails_requests_with_the_issuers_message_when_no_token_was_ever_fetched()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);

        var first = token.GetAsync(CancellationToken.None).AsTask();
        issuer.Fail("IAM refused the API key (400 BXNIM0415E)");

        Assert.Equal((null, "IAM refused the API key (400 BXNIM0415E)"), await first);
        Assert.Equal((null, "IAM refused the API key (400 BXNIM0415E)"), await token.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Does_not_hand_out_a_token_in_its_last_thirty_seconds()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);
        issuer.Answer(TimeSpan.FromSeconds(40));
        await token.GetAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(11));

        Assert.False(token.TryGetCurrent(out _));
    }

    [Fact]
    public async Task Refresh_now_drops_the_refused_token_and_fetches_a_new_one_at_once()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);
        issuer.Answer(TimeSpan.FromHours(1));
        await token.GetAsync(CancellationToken.None);
        await LoopReachesItsTimer();
        time.Advance(TimeSpan.FromMinutes(5));

        var started = token.RefreshNow(time.GetUtcNow() - TimeSpan.FromSeconds(1));
        var waiting = token.GetAsync(CancellationToken.None).AsTask();
        await issuer.WaitForCallAsync(2);
        issuer.Answer(TimeSpan.FromHours(1));

        Assert.True(started);
        Assert.Equal(("token-2", (string?)null), await waiting);
    }

    [Fact]
    public async Task Refresh_now_is_single_flight_and_ignores_refusals_of_tokens_already_replaced()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var token = new RefreshingAccessToken(issuer, time);
        issuer.Answer(TimeSpan.FromHours(1));
        await token.GetAsync(CancellationToken.None);
        await LoopReachesItsTimer();
        time.Advance(TimeSpan.FromMinutes(5));
        var refusedRequest = time.GetUtcNow() - TimeSpan.FromSeconds(1);

        Assert.True(token.RefreshNow(refusedRequest));
        await issuer.WaitForCallAsync(2);
        Assert.False(token.RefreshNow(refusedRequest)); // the fetch under way brings the new token
        issuer.Answer(TimeSpan.FromHours(1));
        await WaitUntil(() => token.TryGetCurrent(out var t) && t == "token-2");
        await LoopReachesItsTimer();

        Assert.False(token.RefreshNow(refusedRequest)); // that request carried token-1, already replaced
        Assert.False(token.RefreshNow(time.GetUtcNow())); // too soon after the last forced refresh
        time.Advance(RefreshingAccessToken.MinForcedRefreshInterval);
        Assert.True(token.RefreshNow(time.GetUtcNow()));
        await issuer.WaitForCallAsync(3);
    }

    [Fact]
    public async Task Bearer_credentials_pass_a_refusal_on_to_their_token()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using IUpstreamCredentials credentials = new BearerTokenCredentials(new RefreshingAccessToken(issuer, time));
        issuer.Answer(TimeSpan.FromHours(1));
        await credentials.ApplyAsync(default, [], CancellationToken.None);
        await LoopReachesItsTimer();

        Assert.True(credentials.RefreshNow(time.GetUtcNow()));
        await issuer.WaitForCallAsync(2);
    }

    [Fact]
    public async Task Bearer_credentials_add_the_authorization_header()
    {
        var time = new FakeTimeProvider(Start);
        var issuer = new ScriptedIssuer(time);
        using var credentials = new BearerTokenCredentials(new RefreshingAccessToken(issuer, time));
        issuer.Answer(TimeSpan.FromHours(1));
        var headers = new List<KeyValuePair<string, string>>();

        var result = await credentials.ApplyAsync(default, headers, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal([new("authorization", "Bearer token-1")], headers);
    }

    // Lets the refresh loop reach its timer before the test moves the fake clock.
    private static Task LoopReachesItsTimer() => Task.Delay(100);

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>An issuer whose answers the test gives one at a time.</summary>
    private sealed class ScriptedIssuer(FakeTimeProvider time) : IAccessTokenSource
    {
        private readonly Channel<Func<AccessToken>> _answers = Channel.CreateUnbounded<Func<AccessToken>>();
        private int _calls;
        private int _issued;

        public string Issuer => "test issuer";

        public int Calls => Volatile.Read(ref _calls);

        public void Answer(TimeSpan lifetime)
        {
            _answers.Writer.TryWrite(() => new AccessToken(new Secret($"token-{Interlocked.Increment(ref _issued)}"), time.GetUtcNow() + lifetime));
        }

        public void Fail(string message) => _answers.Writer.TryWrite(() => throw new CredentialException(message));

        public async Task<AccessToken> FetchAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var answer = await _answers.Reader.ReadAsync(cancellationToken);
            return answer();
        }

        public async Task WaitForCallAsync(int n)
        {
            for (var i = 0; i < 500 && Calls < n; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(n, Calls);
        }

    }
}
