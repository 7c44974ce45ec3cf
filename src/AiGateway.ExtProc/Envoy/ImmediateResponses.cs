using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;

namespace AiGateway.ExtProc.Envoy;

/// <summary>Local replies the gateway sends through Envoy, always with an explicit status.</summary>
internal static class ImmediateResponses
{
    /// <summary>An OpenAI error JSON reply.</summary>
    public static ProcessingResponse OpenAiError(ClientError error, string? requestId)
    {
        var body = OpenAiErrorWriter.ToBytes(error);
        return Json(error.Status, body, requestId, $"ai_gateway_{error.Code ?? error.Type}");
    }

    /// <summary>An Anthropic error JSON reply (Messages clients).</summary>
    public static ProcessingResponse AnthropicError(ClientError error, string? requestId)
    {
        var body = AnthropicErrorWriter.ToBytes(error);
        return Json(error.Status, body, requestId, $"ai_gateway_{error.Code ?? error.Type}");
    }

    /// <summary>An error reply in the client's format: Anthropic's when <paramref name="anthropic"/>, else OpenAI's.</summary>
    public static ProcessingResponse Error(ClientError error, string? requestId, bool anthropic) =>
        anthropic ? AnthropicError(error, requestId) : OpenAiError(error, requestId);

    /// <summary>A 200 JSON reply (e.g. the models list).</summary>
    public static ProcessingResponse Json(int status, byte[] body, string? requestId, string details)
    {
        var headers = new MutationBuilder().Set("content-type", "application/json");
        if (requestId is not null)
        {
            headers.Set("x-ai-gateway-request-id", requestId);
        }

        return new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = (StatusCode)status },
                Headers = headers.Build(),
                Body = UnsafeByteOperations.UnsafeWrap(body),
                Details = details,
            },
        };
    }
}
