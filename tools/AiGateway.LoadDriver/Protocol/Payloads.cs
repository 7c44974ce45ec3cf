using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiGateway.LoadDriver.Protocol;

/// <summary>The JSON bodies of one simulated chat completion: a ~6 KB request and a ~1 KB response with usage.</summary>
internal static class Payloads
{
    public const string Model = "gpt-4o-mini";

    private const string Lorem =
        "The quarterly report shows steady growth in the northern region, while the southern stores saw " +
        "lower foot traffic after the road works began. Summarise the main drivers, list the risks for the " +
        "next quarter, and suggest three concrete actions the regional managers can take within a month. ";

    /// <summary>An OpenAI chat completions request: a system prompt and a multi-turn conversation.</summary>
    public static byte[] ChatRequest(int targetBytes = 6 * 1024)
    {
        var turns = new List<(string Role, string Content)>
        {
            ("system", "You are a careful analyst for a retail chain. Answer in plain English, use short paragraphs, and cite figures from the user's data when you use them. " + Lorem),
            ("user", "Here is the data for the last quarter. " + Lorem + Lorem),
            ("assistant", "Thanks. Before I summarise: should returns be netted against sales, and do you want figures per store or per region? " + Lorem),
            ("user", "Per region, and net the returns. " + Lorem),
            ("assistant", "Understood. Northern region net sales rose 7.2% quarter on quarter, driven by the two new stores and the loyalty scheme. " + Lorem),
        };

        // Grow the last user turn until the body reaches the target size.
        var last = new StringBuilder("Good. Now the risks and the three actions, please. ");
        byte[] body;
        do
        {
            body = Write(turns, last.ToString());
            last.Append(Lorem);
        }
        while (body.Length < targetBytes);

        return body;
    }

    /// <summary>An OpenAI chat completion (non-streaming) with a usage block.</summary>
    public static byte[] ChatResponse()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
            json.WriteString("object", "chat.completion");
            json.WriteNumber("created", 1741569952);
            json.WriteString("model", "gpt-4o-mini-2024-07-18");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content",
                "Northern region: net sales up 7.2%, led by the two new stores and loyalty sign-ups. Southern region: " +
                "net sales down 3.1%; foot traffic fell after the road works began in week 5. Risks: the road works run " +
                "into next quarter, two suppliers raised prices, and staff turnover in the south is at 18%. Actions: " +
                "1) run a click-and-collect promotion in the affected southern stores; 2) renegotiate or dual-source the " +
                "two suppliers before the price rises take effect; 3) hold stay interviews with southern staff and fix " +
                "rota complaints within four weeks.");
            json.WriteNull("refusal");
            json.WriteStartArray("annotations");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", "stop");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", 1432);
            json.WriteNumber("completion_tokens", 156);
            json.WriteNumber("total_tokens", 1588);
            json.WriteStartObject("prompt_tokens_details");
            json.WriteNumber("cached_tokens", 0);
            json.WriteNumber("audio_tokens", 0);
            json.WriteEndObject();
            json.WriteStartObject("completion_tokens_details");
            json.WriteNumber("reasoning_tokens", 0);
            json.WriteNumber("audio_tokens", 0);
            json.WriteNumber("accepted_prediction_tokens", 0);
            json.WriteNumber("rejected_prediction_tokens", 0);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("service_tier", "default");
            json.WriteString("system_fingerprint", "fp_06737a9306");
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Formats a byte count for humans.</summary>
    public static string Size(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static byte[] Write(List<(string Role, string Content)> turns, string lastUser)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteStartArray("messages");
            foreach (var (role, content) in turns)
            {
                json.WriteStartObject();
                json.WriteString("role", role);
                json.WriteString("content", content);
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", lastUser);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("temperature", 0.2);
            json.WriteNumber("max_tokens", 512);
            json.WriteBoolean("stream", false);
            json.WriteString("user", "load-driver");
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
