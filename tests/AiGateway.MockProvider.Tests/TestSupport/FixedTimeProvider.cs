namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>A clock frozen at one instant; timers and timestamps stay real so delays still elapse.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
