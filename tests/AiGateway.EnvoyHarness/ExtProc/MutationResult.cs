namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>Outcome of applying a processor's header mutation: <see cref="Error"/> is set when the reply must fail the request.</summary>
internal readonly record struct MutationResult(string? Error)
{
    public static MutationResult Ok { get; } = new(null);

    public bool Failed => Error is not null;
}
