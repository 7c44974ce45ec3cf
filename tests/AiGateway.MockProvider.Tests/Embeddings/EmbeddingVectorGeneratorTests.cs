using System.Buffers.Binary;
using System.Text;
using AiGateway.MockProvider.Embeddings;

namespace AiGateway.MockProvider.Tests.Embeddings;

public sealed class EmbeddingVectorGeneratorTests
{
    [Fact]
    public void The_same_input_always_gives_the_same_vector()
    {
        // Act
        var first = EmbeddingVectorGenerator.Generate("hello"u8, 8);
        var second = EmbeddingVectorGenerator.Generate("hello"u8, 8);

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_inputs_give_different_vectors()
    {
        Assert.NotEqual(EmbeddingVectorGenerator.Generate("hello"u8, 8), EmbeddingVectorGenerator.Generate("world"u8, 8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1536)]
    public void Vectors_have_the_requested_length_and_unit_norm(int dimensions)
    {
        // Act
        var vector = EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes("text"), dimensions);

        // Assert
        Assert.Equal(dimensions, vector.Length);
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        Assert.InRange(norm, 0.999, 1.001);
        Assert.All(vector, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void A_shorter_vector_is_not_a_prefix_rescaled_but_shares_the_hash_derived_direction()
    {
        // Arrange: components come from the same hash blocks, so signs agree across lengths.
        var eight = EmbeddingVectorGenerator.Generate("abc"u8, 8);
        var four = EmbeddingVectorGenerator.Generate("abc"u8, 4);

        // Assert
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Sign(eight[i]), Math.Sign(four[i]));
        }
    }

    [Fact]
    public void Little_endian_bytes_round_trip_to_the_same_floats()
    {
        // Arrange
        var vector = EmbeddingVectorGenerator.Generate("x"u8, 5);

        // Act
        var bytes = EmbeddingVectorGenerator.ToLittleEndianBytes(vector);

        // Assert
        Assert.Equal(20, bytes.Length);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(vector[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)));
        }
    }
}
