namespace AiGateway.MockProvider.Faults;

/// <summary>A registered <see cref="FaultRule"/> and how many uses it has left (-1: unlimited).</summary>
internal sealed class FaultSlot(FaultRule rule)
{
    public FaultRule Rule { get; } = rule;

    public int Remaining { get; set; } = rule.Times ?? -1;
}
