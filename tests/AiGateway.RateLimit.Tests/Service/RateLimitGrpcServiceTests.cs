using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Service;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Tests.Support;
using AiGateway.TestKit;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;
using Unit = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.RateLimit.Types.Unit;

namespace AiGateway.RateLimit.Tests.Service;

public sealed class RateLimitGrpcServiceTests
{
    private static readonly string Config = FixtureFiles.Path("Config", "Valid", "service");

    private static RateLimitDescriptor Descriptor(string key, string value, ulong? hits = null, bool negative = false)
    {
        var descriptor = new RateLimitDescriptor { HitsAddend = hits, IsNegativeHits = negative };
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        return descriptor;
    }

    private static RateLimitRequest Request(params RateLimitDescriptor[] descriptors)
    {
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(descriptors);
        return request;
    }

    [Fact]
    public async Task Answers_over_grpc_with_statuses_index_aligned_to_the_descriptors()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);

        var response = await server.Client.ShouldRateLimitAsync(Request(Descriptor("nothing", "x"), Descriptor("user", "alice"), Descriptor("admin", "root")));

        Assert.Equal(Code.Ok, response.OverallCode);
        Assert.Equal(3, response.Statuses.Count);
        Assert.Equal(new RateLimitResponse.Types.DescriptorStatus { Code = Code.Ok }, response.Statuses[0]);
        var limited = response.Statuses[1];
        Assert.Equal((Code.Ok, 100u, Unit.Hour, 99u), (limited.Code, limited.CurrentLimit.RequestsPerUnit, limited.CurrentLimit.Unit, limited.LimitRemaining));
        Assert.InRange(limited.DurationUntilReset.Seconds, 1, 3600);
        Assert.Equal(new RateLimitResponse.Types.DescriptorStatus { Code = Code.Ok, LimitRemaining = uint.MaxValue }, response.Statuses[2]);
        Assert.Empty(server.Logs.Errors);
    }

    [Fact]
    public async Task Checks_with_a_present_zero_addend_charges_with_a_number_and_refunds_negative_hits()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);

        var charged = await server.Client.ShouldRateLimitAsync(Request(Descriptor("tokens", "alice", 1000)));
        var check = await server.Client.ShouldRateLimitAsync(Request(Descriptor("tokens", "alice", 0)));
        var over = await server.Client.ShouldRateLimitAsync(Request(Descriptor("tokens", "alice", 1)));
        var refund = await server.Client.ShouldRateLimitAsync(Request(Descriptor("tokens", "alice", 401, negative: true)));
        var again = await server.Client.ShouldRateLimitAsync(Request(Descriptor("tokens", "alice", 0)));

        Assert.Equal((Code.Ok, 0u), (charged.OverallCode, charged.Statuses[0].LimitRemaining));
        Assert.Equal(Code.Ok, check.OverallCode);
        Assert.Equal(Code.OverLimit, over.OverallCode);
        Assert.Equal((Code.Ok, 400u), (refund.OverallCode, refund.Statuses[0].LimitRemaining));
        Assert.Equal((Code.Ok, 400u), (again.OverallCode, again.Statuses[0].LimitRemaining));
    }

    [Fact]
    public async Task Uses_the_request_level_addend_for_descriptors_without_their_own()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);
        var request = Request(Descriptor("tokens", "bob"), Descriptor("tokens", "carol", 7));
        request.HitsAddend = 300;

        var response = await server.Client.ShouldRateLimitAsync(request);

        Assert.Equal([700u, 993u], response.Statuses.Select(s => s.LimitRemaining));
    }

    [Fact]
    public async Task Honours_a_descriptors_own_limit()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);
        var descriptor = Descriptor("user", "dave");
        descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 1, Unit = Envoy.Type.V3.RateLimitUnit.Day };

        await server.Client.ShouldRateLimitAsync(Request(descriptor));
        var second = await server.Client.ShouldRateLimitAsync(Request(descriptor));

        Assert.Equal((Code.OverLimit, 1u, Unit.Day), (second.OverallCode, second.Statuses[0].CurrentLimit.RequestsPerUnit, second.Statuses[0].CurrentLimit.Unit));
    }

    [Theory]
    [InlineData("", "rate limit domain must not be empty")]
    [InlineData("gateway", "rate limit descriptor list must not be empty")]
    public async Task Fails_calls_it_cannot_decide_with_unknown_and_counts_them(string domain, string message)
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);
        var request = new RateLimitRequest { Domain = domain };
        if (domain.Length == 0)
        {
            request.Descriptors.Add(Descriptor("user", "x"));
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.ShouldRateLimitAsync(request));

        Assert.Equal((StatusCode.Unknown, message), (error.StatusCode, error.Status.Detail));
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "ratelimit_service_call_should_rate_limit_service_error_total"));
    }

    [Fact]
    public async Task Adds_rate_limit_headers_and_dynamic_metadata_when_enabled()
    {
        var service = new RateLimitServiceOptions { ResponseHeadersEnabled = true, DynamicMetadataEnabled = true };
        await using var server = await RateLimitTestServer.StartAsync(Config, service: service);

        var response = await server.Client.ShouldRateLimitAsync(Request(Descriptor("user", "erin"), Descriptor("tokens", "erin", 10)));

        Assert.Equal(
            [("RateLimit-Limit", "100"), ("RateLimit-Remaining", "99")],
            response.ResponseHeadersToAdd.Take(2).Select(h => (h.Key, h.Value)));
        Assert.Equal("RateLimit-Reset", response.ResponseHeadersToAdd[2].Key);
        var metadata = response.DynamicMetadata.Fields;
        Assert.Equal("gateway", metadata["domain"].StringValue);
        Assert.Equal("user=erin", metadata["descriptors"].ListValue.Values[0].StructValue.Fields["entries"].ListValue.Values[0].StringValue);
        Assert.Equal(10, metadata["descriptors"].ListValue.Values[1].StructValue.Fields["hitsAddend"].NumberValue);
        Assert.Equal("token-quota", metadata["metadata"].StructValue.Fields["kind"].StringValue);
    }

    [Fact]
    public async Task Leaves_response_extras_out_by_default()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);

        var response = await server.Client.ShouldRateLimitAsync(Request(Descriptor("user", "frank")));

        Assert.Empty(response.ResponseHeadersToAdd);
        Assert.Null(response.DynamicMetadata);
    }

    [Fact]
    public async Task Serves_grpc_health_and_reference_named_metrics()
    {
        await using var server = await RateLimitTestServer.StartAsync(Config);
        await server.Client.ShouldRateLimitAsync(Request(Descriptor("user", "gina", 3)));

        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        var metrics = await server.MetricsAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(3, PrometheusText.Value(metrics, "ratelimit_service_rate_limit_total_hits_total", "key=\"gateway.user\""));
        Assert.Equal(3, PrometheusText.Value(metrics, "ratelimit_service_rate_limit_within_limit_total", "key=\"gateway.user\""));
        Assert.Equal(1, PrometheusText.Value(metrics, "ratelimit_service_config_load_success_total"));
        Assert.Equal(1, PrometheusText.Value(metrics, "ratelimit_server_ShouldRateLimit_total_requests_total"));
        Assert.Equal("Healthy", await server.Admin.GetStringAsync(new Uri("/healthcheck", UriKind.Relative)));
    }

    [Fact]
    public async Task Answers_deadline_exceeded_without_touching_the_store_when_envoy_already_gave_up()
    {
        var store = new RecordingStore(new InMemoryRateLimitStore(TimeProvider.System));
        using var metrics = new MetricRecorder();
        var limiter = new FixedWindowLimiter(new RateLimitConfigStore(Limits.Config("domain: gateway\ndescriptors:\n  - key: user\n    rate_limit: { unit: hour, requests_per_unit: 100 }\n")), store, TimeProvider.System, new RateLimiterOptions(), metrics.Metrics);
        var service = new RateLimitGrpcService(limiter, metrics.Metrics, new RateLimitServiceOptions(), TimeProvider.System, NullLogger<RateLimitGrpcService>.Instance);
        using var gaveUp = new CancellationTokenSource();
        await gaveUp.CancelAsync();
        var context = new TestCallContext(DateTime.UtcNow.AddMilliseconds(-1), gaveUp.Token);

        await service.ShouldRateLimit(Request(Descriptor("user", "alice")), context);

        Assert.Equal(StatusCode.DeadlineExceeded, context.Status.StatusCode);
        Assert.Empty(store.Calls);
        Assert.Equal(0, metrics.Sum("redis_error"));
    }

    [Fact]
    public async Task Answers_unavailable_in_the_status_without_an_exception_when_the_store_fails()
    {
        using var metrics = new MetricRecorder();
        var limiter = new FixedWindowLimiter(new RateLimitConfigStore(Limits.Config("domain: gateway\ndescriptors:\n  - key: user\n    rate_limit: { unit: hour, requests_per_unit: 100 }\n")), new FailingStore(), TimeProvider.System, new RateLimiterOptions(), metrics.Metrics);
        var service = new RateLimitGrpcService(limiter, metrics.Metrics, new RateLimitServiceOptions(), TimeProvider.System, NullLogger<RateLimitGrpcService>.Instance);
        var context = new TestCallContext(DateTime.MaxValue, CancellationToken.None);

        await service.ShouldRateLimit(Request(Descriptor("user", "alice")), context);

        Assert.Equal((StatusCode.Unavailable, "Redis did not answer within 10 ms"), (context.Status.StatusCode, context.Status.Detail));
        Assert.Equal(1, metrics.Sum("redis_error"));
    }

    /// <summary>A store that reports a missed deadline as a value (throwing from ApplyAsync would fail the test).</summary>
    private sealed class FailingStore : IRateLimitStore
    {
        public ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the service must use TryApplyAsync");

        public ValueTask<string?> TryApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>("Redis did not answer within 10 ms");
    }
}
