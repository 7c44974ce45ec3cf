using System.Globalization;
using System.Text;

namespace AiGateway.EnvoyHarness.Http;

/// <summary>Builds Envoy-style local replies: <c>content-type: text/plain</c> and <c>content-length</c> when there is a body.</summary>
internal static class LocalReplies
{
    public static HarnessResponse Create(int status, string body, string details, LocalReplyOrigin origin = LocalReplyOrigin.Downstream) =>
        Create(status, Encoding.UTF8.GetBytes(body), new HeaderMap(), details, origin);

    /// <summary>
    /// Builds a local reply over <paramref name="headers"/> (already holding any caller-supplied headers): sets <c>:status</c>,
    /// adds <c>content-type: text/plain</c> if absent and sets <c>content-length</c>; an empty body drops both.
    /// </summary>
    public static HarnessResponse Create(int status, byte[] body, HeaderMap headers, string details, LocalReplyOrigin origin)
    {
        headers.Set(":status", status.ToString(CultureInfo.InvariantCulture));
        if (body.Length == 0)
        {
            headers.Remove("content-type");
            headers.Remove("content-length");
        }
        else
        {
            if (!headers.Contains("content-type"))
            {
                headers.Set("content-type", "text/plain");
            }

            headers.Set("content-length", body.Length.ToString(CultureInfo.InvariantCulture));
        }

        return new HarnessResponse(headers, BodyStreams.FromBytes(body)) { Origin = origin, Details = details };
    }
}
