using AiGateway.EnvoyHarness.Http;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>What came back for one message sent to the processor.</summary>
internal readonly record struct ExchangeResult(ExchangeOutcome Outcome, ProcessingResponse? Response, HarnessResponse? LocalReply)
{
    public static ExchangeResult Continue { get; } = new(ExchangeOutcome.Continue, null, null);

    public static ExchangeResult Reply(ProcessingResponse response) => new(ExchangeOutcome.Reply, response, null);

    public static ExchangeResult Local(ExchangeOutcome outcome, HarnessResponse reply) => new(outcome, null, reply);
}
