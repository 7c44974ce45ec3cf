using System.Globalization;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Chat;

/// <summary>Answers <c>POST {prefix}/chat/completions</c> as JSON or as an SSE stream.</summary>
internal static class ChatCompletionsHandler
{
    public static async Task HandleAsync(
        HttpContext context,
        MockProviderState state,
        ChatCompletionRequest request,
        FaultPlan plan,
        ILogger logger,
        CancellationToken ct)
    {
        if (ChatReplyPlanner.Validate(request, state.Options) is { } error)
        {
            await JsonResponder.WriteErrorAsync(context, error, ct);
            return;
        }

        var number = state.NextChatNumber();
        var reply = ChatReplyPlanner.Plan(request, state.Options.ResponseTemplate, number);
        var identity = new ChatCompletionIdentity(
            "chatcmpl-mock-" + number.ToString(CultureInfo.InvariantCulture),
            state.Time.GetUtcNow().ToUnixTimeSeconds(),
            request.Model!);

        if (request.Stream == true)
        {
            var includeUsage = request.StreamOptions?.IncludeUsage == true;
            var events = ChatCompletionJson.StreamEvents(identity, reply, includeUsage);
            var chunkDelay = plan.ChunkDelay ?? state.Options.ChunkDelay;
            await SseResponder.WriteAsync(context, events, plan, chunkDelay, state.Time, logger, ct);
            return;
        }

        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, ChatCompletionJson.Completion(identity, reply), plan, logger, ct);
    }
}
