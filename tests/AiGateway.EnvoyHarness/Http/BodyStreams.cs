using System.Runtime.CompilerServices;

namespace AiGateway.EnvoyHarness.Http;

/// <summary>Helpers for bodies modelled as <see cref="IAsyncEnumerable{T}"/> of <see cref="BodyChunk"/>; null means "no body".</summary>
internal static class BodyStreams
{
    public static IAsyncEnumerable<BodyChunk>? FromBytes(ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? null : Single(new BodyChunk(bytes, true));

    /// <summary>A body that exists but is empty (headers did not end the stream).</summary>
    public static IAsyncEnumerable<BodyChunk> EmptyBody() => Single(new BodyChunk(ReadOnlyMemory<byte>.Empty, true));

    public static async IAsyncEnumerable<BodyChunk> Single(BodyChunk chunk)
    {
        await Task.CompletedTask;
        yield return chunk;
    }

    /// <summary>Reads a whole body; returns null when it exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAllAsync(IAsyncEnumerable<BodyChunk>? body, long limit, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await foreach (var chunk in body.WithCancellation(cancellationToken))
        {
            if (buffer.Length + chunk.Data.Length > limit)
            {
                return null;
            }

            buffer.Write(chunk.Data.Span);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a stream as body chunks; the last chunk is marked once <paramref name="contentLength"/> bytes arrived or the stream ended.</summary>
    public static async IAsyncEnumerable<BodyChunk> FromStream(
        Stream stream,
        long? contentLength,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var total = 0L;
        while (true)
        {
            var buffer = new byte[16 * 1024];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                yield return new BodyChunk(ReadOnlyMemory<byte>.Empty, true);
                yield break;
            }

            total += read;
            var end = contentLength is { } length && total >= length;
            yield return new BodyChunk(buffer.AsMemory(0, read), end);
            if (end)
            {
                yield break;
            }
        }
    }
}
