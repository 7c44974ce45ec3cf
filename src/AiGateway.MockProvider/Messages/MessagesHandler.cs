using System.Globalization;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Messages;

/// <summary>Answers <c>POST {prefix}/messages</c> (Anthropic Messages API) as JSON or as an SSE stream.</summary>
internal static class MessagesHandler
{
    public static async Task HandleAsync(
        HttpContext context,
        MockProviderState state,
        MessagesRequest request,
        FaultPlan plan,
        string requestId,
        ILogger logger,
        CancellationToken ct)
    {
        if (MessagesReplyPlanner.Validate(request, state.Options) is { } error)
        {
            await JsonResponder.WriteErrorAsync(context, error, requestId, ct);
            return;
        }

        var number = state.NextMessageNumber();
        var reply = MessagesReplyPlanner.Plan(request, state.Options.ResponseTemplate, number);
        var id = "msg_mock_" + number.ToString(CultureInfo.InvariantCulture);
        if (request.Stream == true)
        {
            var events = MessagesJson.StreamEvents(id, request.Model!, reply);
            var chunkDelay = plan.ChunkDelay ?? state.Options.ChunkDelay;
            await SseResponder.WriteAsync(context, events, plan, chunkDelay, state.Time, logger, ct, MessagesJson.StreamError);
            return;
        }

        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, MessagesJson.Message(id, request.Model!, reply), plan, logger, ct);
    }
}
