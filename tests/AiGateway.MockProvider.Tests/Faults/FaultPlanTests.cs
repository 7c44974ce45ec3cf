using AiGateway.MockProvider.Faults;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Tests.Faults;

public sealed class FaultPlanTests
{
    [Fact]
    public void No_rule_and_no_headers_is_no_fault()
    {
        // Act
        var ok = FaultPlan.TryCreate(null, new HeaderDictionary(), out var plan, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(error);
        Assert.True(plan.IsNone);
    }

    [Fact]
    public void Reads_every_fault_header()
    {
        // Arrange
        var headers = new HeaderDictionary
        {
            [MockHeaders.Status] = "429",
            [MockHeaders.RetryAfter] = "2",
            [MockHeaders.DelayMs] = "300",
            [MockHeaders.ResetAfterEvents] = "2",
            [MockHeaders.ChunkDelayMs] = "20",
            [MockHeaders.ResetBeforeResponse] = "true",
            [MockHeaders.StreamErrorAfterEvents] = "3",
        };

        // Act
        var ok = FaultPlan.TryCreate(null, headers, out var plan, out _);

        // Assert
        Assert.True(ok);
        Assert.Equal(429, plan.StatusCode);
        Assert.Equal(2, plan.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromMilliseconds(300), plan.Delay);
        Assert.Equal(2, plan.ResetAfterEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(20), plan.ChunkDelay);
        Assert.True(plan.ResetBeforeResponse);
        Assert.Equal(3, plan.StreamErrorAfterEvents);
    }

    [Fact]
    public void Headers_override_the_rule_field_by_field()
    {
        // Arrange
        var rule = new FaultRule { StatusCode = 500, Delay = TimeSpan.FromMilliseconds(50), ErrorMessage = "boom" };
        var headers = new HeaderDictionary { [MockHeaders.Status] = "503" };

        // Act
        FaultPlan.TryCreate(rule, headers, out var plan, out _);

        // Assert
        Assert.Equal(503, plan.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(50), plan.Delay);
        Assert.Equal("boom", plan.ErrorMessage);
    }

    [Theory]
    [InlineData(MockHeaders.Status, "200")]
    [InlineData(MockHeaders.Status, "abc")]
    [InlineData(MockHeaders.DelayMs, "-5")]
    [InlineData(MockHeaders.ResetBeforeResponse, "maybe")]
    public void An_invalid_header_value_is_reported_by_name(string header, string value)
    {
        // Arrange
        var headers = new HeaderDictionary { [header] = value };

        // Act
        var ok = FaultPlan.TryCreate(null, headers, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.Contains(header, error);
        Assert.Contains(value, error);
    }

    [Fact]
    public void Describes_only_the_injected_fields()
    {
        // Arrange
        FaultPlan.TryCreate(FaultRule.RateLimited(2), new HeaderDictionary(), out var plan, out _);

        // Act
        var text = plan.ToString();

        // Assert
        Assert.Equal("status=429 retry_after=2s", text);
    }
}
