using System.Text.RegularExpressions;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>Turns an <see cref="ImmediateResponse"/> into Envoy's local reply (envoy-protocol.md §2.15).</summary>
internal static partial class ImmediateResponseBuilder
{
    public static HarnessResponse Build(ImmediateResponse immediate, MutationRulesConfig rules, LocalReplyOrigin origin, Action rejected)
    {
        var status = (int)(immediate.Status?.Code ?? 0);
        if (status < 200)
        {
            status = 200;
        }

        // A header that breaks the rules is skipped and the reply is sent anyway.
        var headers = new HeaderMap();
        HeaderMutationApplier.Apply(headers, immediate.Headers, rules with { DisallowIsError = false }, isResponse: true, dropContentLengthSet: false, allowMethod: false, rejected);
        var details = string.IsNullOrEmpty(immediate.Details) ? "ext_proc_immediate_response" : Whitespace().Replace(immediate.Details, "_");
        return LocalReplies.Create(status, immediate.Body.ToByteArray(), headers, details, origin);
    }

    [GeneratedRegex(@"\s")]
    private static partial Regex Whitespace();
}
