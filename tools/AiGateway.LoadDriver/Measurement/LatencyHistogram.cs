using System.Numerics;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>
/// A small HdrHistogram-like recorder of nanosecond values: exact below 256 ns, then 128 linear
/// sub-buckets per power of two, so every reported value is within 0.8% of the recorded one.
/// Thread-safe for recording (one interlocked increment per value); read it after recording stops.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits; // 128
    private const int MaxShift = 63 - SubBucketBits;

    private readonly long[] _counts = new long[((MaxShift + 1) * SubBucketCount) + SubBucketCount];
    private long _count;
    private long _sum;
    private long _max;
    private long _min = long.MaxValue;

    /// <summary>Number of recorded values.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Largest recorded value (exact), 0 when empty.</summary>
    public long Max => Count == 0 ? 0 : Volatile.Read(ref _max);

    /// <summary>Smallest recorded value (exact), 0 when empty.</summary>
    public long Min => Count == 0 ? 0 : Volatile.Read(ref _min);

    /// <summary>Mean of the recorded values, 0 when empty.</summary>
    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    /// <summary>Records one value; negative values count as 0.</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        UpdateMax(value);
        UpdateMin(value);
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0–100]: the highest value equivalent to the
    /// bucket that holds that rank (capped at the exact maximum), like HdrHistogram's getValueAtPercentile.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * count);
        rank = Math.Clamp(rank, 1, count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalent(i), Max);
            }
        }

        return Max;
    }

    /// <summary>The bucket index of a value; exposed for tests of the bucketing.</summary>
    internal static int IndexOf(long value)
    {
        if (value < 2 * SubBucketCount)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBucketBits;               // mantissa (value >> shift) is in [128, 255]
        var mantissa = (int)(value >> shift);
        return (shift * SubBucketCount) + mantissa;
    }

    /// <summary>The largest value that lands in bucket <paramref name="index"/>.</summary>
    internal static long HighestEquivalent(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return index;
        }

        var shift = (index / SubBucketCount) - 1;
        var mantissa = (long)(index - (shift * SubBucketCount));
        return ((mantissa + 1) << shift) - 1;
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
