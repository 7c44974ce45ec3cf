using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AiGateway.MockProvider.Embeddings;

/// <summary>
/// Deterministic unit-length vectors: component i comes from bytes of SHA-256(key ‖ int32-LE(i / 8)),
/// read as a uint32 and mapped to [-1, 1]; the vector is then L2-normalised. The same input always
/// gives the same vector, on every machine.
/// </summary>
internal static class EmbeddingVectorGenerator
{
    private const int ValuesPerBlock = 8;

    public static float[] Generate(ReadOnlySpan<byte> key, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var seed = new byte[key.Length + sizeof(int)];
        key.CopyTo(seed);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var raw = new double[dimensions];
        double sumOfSquares = 0;
        for (var block = 0; block * ValuesPerBlock < dimensions; block++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(seed.AsSpan(key.Length), block);
            SHA256.HashData(seed, hash);
            for (var j = 0; j < ValuesPerBlock && (block * ValuesPerBlock) + j < dimensions; j++)
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(hash[(j * sizeof(uint))..]);
                var value = (bits / (double)uint.MaxValue * 2.0) - 1.0;
                raw[(block * ValuesPerBlock) + j] = value;
                sumOfSquares += value * value;
            }
        }

        var norm = Math.Sqrt(sumOfSquares);
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(norm > 0 ? raw[i] / norm : raw[i]);
        }

        return vector;
    }

    /// <summary>The vector as little-endian float32 bytes, as OpenAI's <c>encoding_format: base64</c>.</summary>
    public static byte[] ToLittleEndianBytes(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
