namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>A clock the test moves by hand; timers stay real.</summary>
internal sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
