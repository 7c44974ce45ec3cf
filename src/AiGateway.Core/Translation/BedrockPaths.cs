using System.Text;
using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>Bedrock runtime paths and request headers shared by the chat and embeddings translators.</summary>
internal static class BedrockPaths
{
    /// <summary>
    /// <c>{base}/model/{modelId}/{operation}</c> with the model id percent-encoded as one path segment
    /// (provider-apis.md §4.1): an ARN's <c>/</c> becomes <c>%2F</c>; <c>:</c> stays raw, as Go's
    /// <c>url.PathEscape</c> leaves it (SigV4 then encodes the path once more).
    /// </summary>
    public static string Model(ProviderDefinition provider, string modelId, string operation) =>
        $"{provider.BasePath}/model/{EncodeSegment(modelId)}/{operation}";

    /// <summary>JSON request headers, plus the Bedrock API key as a bearer token when the provider uses key auth.</summary>
    public static List<KeyValuePair<string, string>> Headers(ProviderDefinition provider)
    {
        var headers = TranslationHelper.JsonRequestHeaders();
        if (provider.Auth.Kind == ProviderAuthKind.ApiKey)
        {
            BearerApiKeyAuth.Apply(provider, headers);
        }

        return headers;
    }

    /// <summary>Percent-encodes every byte but unreserved characters and <c>:</c>.</summary>
    public static string EncodeSegment(string value)
    {
        var plain = true;
        foreach (var c in value)
        {
            if (!IsKept(c))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 0x80 && IsKept((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsKept(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or ':';
}
