using System.Text.Json;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Models;

/// <summary>Writes <c>GET /models</c> and <c>GET /models/{id}</c> responses.</summary>
internal static class ModelsJson
{
    /// <summary>Fixed <c>created</c> of every model, so responses are deterministic (2023-11-14T22:13:20Z).</summary>
    public const long Created = 1_700_000_000;

    public const string OwnedBy = "mock";

    public static byte[] List(IReadOnlyList<string> models) =>
        JsonBodies.Serialize(models, static (w, ids) =>
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "list");
            w.WriteStartArray("data"u8);
            foreach (var id in ids)
            {
                WriteModel(w, id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static byte[] Model(string id) => JsonBodies.Serialize(id, WriteModel);

    private static void WriteModel(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "model");
        w.WriteNumber("created"u8, Created);
        w.WriteString("owned_by"u8, OwnedBy);
        w.WriteEndObject();
    }
}
