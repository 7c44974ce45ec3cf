using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Embeddings;

/// <summary>
/// Reads <c>input</c>: a string, an array of strings, a token array (int[]) or an array of token arrays.
/// A string's key is its UTF-8 bytes and it counts ceil(chars / 4) tokens; a token array's key is its
/// values as little-endian int32 and it counts one token per value.
/// </summary>
internal static class EmbeddingInputParser
{
    private const string Expected =
        "expected a non-empty string, array of strings, array of integer tokens, or array of token arrays.";

    public static bool TryParse(JsonElement? input, out IReadOnlyList<EmbeddingInput> inputs, out OpenAiError? error)
    {
        inputs = [];
        error = null;
        if (input is not { ValueKind: not JsonValueKind.Null } element)
        {
            error = OpenAiError.MissingParameter("input");
            return false;
        }

        var parsed = new List<EmbeddingInput>();
        var ok = element.ValueKind switch
        {
            JsonValueKind.String => TryAddText(element, parsed),
            JsonValueKind.Array => TryParseArray(element, parsed),
            _ => false,
        };

        if (!ok || parsed.Count == 0)
        {
            error = OpenAiError.InvalidValue("input", Expected);
            return false;
        }

        if (parsed.Count > EmbeddingLimits.MaxInputs)
        {
            error = OpenAiError.InvalidValue("input", $"array too long. Expected at most {EmbeddingLimits.MaxInputs} inputs, got {parsed.Count}.");
            return false;
        }

        inputs = parsed;
        return true;
    }

    private static bool TryParseArray(JsonElement array, List<EmbeddingInput> parsed)
    {
        if (array.GetArrayLength() == 0)
        {
            return false;
        }

        var first = array[0].ValueKind;
        if (first == JsonValueKind.Number)
        {
            return TryAddTokens(array, parsed);
        }

        foreach (var item in array.EnumerateArray())
        {
            var ok = (first, item.ValueKind) switch
            {
                (JsonValueKind.String, JsonValueKind.String) => TryAddText(item, parsed),
                (JsonValueKind.Array, JsonValueKind.Array) => TryAddTokens(item, parsed),
                _ => false,
            };

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryAddText(JsonElement text, List<EmbeddingInput> parsed)
    {
        var value = text.GetString();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        parsed.Add(new EmbeddingInput(Encoding.UTF8.GetBytes(value), TokenEstimator.ForText(value.Length)));
        return true;
    }

    private static bool TryAddTokens(JsonElement tokens, List<EmbeddingInput> parsed)
    {
        var count = tokens.GetArrayLength();
        if (count == 0)
        {
            return false;
        }

        var key = new byte[count * sizeof(int)];
        var i = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt32(out var value) || value < 0)
            {
                return false;
            }

            BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(i * sizeof(int)), value);
            i++;
        }

        parsed.Add(new EmbeddingInput(key, count));
        return true;
    }
}
