namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>Bounded waits on one-shot signals used to line up the fake servers (never sleeps).</summary>
public static class Signals
{
    public static TaskCompletionSource Create() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task WaitBoundedAsync(this TaskCompletionSource signal) => signal.Task.WaitAsync(TimeSpan.FromSeconds(5));
}
