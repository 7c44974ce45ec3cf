using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Configuration;

namespace AiGateway.ExtProc.Endpoints;

/// <summary>Writes OpenAI's models list and model object from the configuration.</summary>
internal static class ModelsResponse
{
    /// <summary><c>{"object":"list","data":[...]}</c> of every served model.</summary>
    public static byte[] List(GatewaySnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list");
            writer.WriteStartArray("data"u8);
            foreach (var model in snapshot.Models)
            {
                WriteModel(writer, snapshot, model);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One model object.</summary>
    public static byte[] One(GatewaySnapshot snapshot, string model)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteModel(writer, snapshot, model);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter writer, GatewaySnapshot snapshot, string model)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, model);
        writer.WriteString("object"u8, "model");
        writer.WriteNumber("created"u8, snapshot.LoadedAt.ToUnixTimeSeconds());
        writer.WriteString("owned_by"u8, snapshot.ProvidersFor(model)[0].Name);
        writer.WriteEndObject();
    }
}
