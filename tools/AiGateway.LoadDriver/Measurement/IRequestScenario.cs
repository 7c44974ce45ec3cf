namespace AiGateway.LoadDriver.Measurement;

/// <summary>One request the load runner can start: returns the Stopwatch timestamp when its answer was complete.</summary>
internal interface IRequestScenario
{
    Task<long> RunAsync(CancellationToken cancellationToken);
}
