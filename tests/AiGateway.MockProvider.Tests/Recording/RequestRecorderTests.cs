using AiGateway.MockProvider.Recording;

namespace AiGateway.MockProvider.Tests.Recording;

public sealed class RequestRecorderTests
{
    private static RecordedRequest Request(string path) =>
        new("POST", path, new Dictionary<string, string>(), ReadOnlyMemory<byte>.Empty, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Drops_the_oldest_requests_beyond_capacity()
    {
        // Arrange
        var recorder = new RequestRecorder(capacity: 2);

        // Act
        recorder.Add(Request("/1"));
        recorder.Add(Request("/2"));
        recorder.Add(Request("/3"));

        // Assert
        Assert.Equal(["/2", "/3"], recorder.Snapshot().Select(r => r.Path));
    }

    [Fact]
    public void A_snapshot_does_not_change_when_more_requests_arrive()
    {
        // Arrange
        var recorder = new RequestRecorder(capacity: 10);
        recorder.Add(Request("/1"));

        // Act
        var snapshot = recorder.Snapshot();
        recorder.Add(Request("/2"));

        // Assert
        Assert.Single(snapshot);
    }

    [Fact]
    public void Zero_capacity_records_nothing()
    {
        // Arrange
        var recorder = new RequestRecorder(capacity: 0);

        // Act
        recorder.Add(Request("/1"));

        // Assert
        Assert.Empty(recorder.Snapshot());
    }
}
