namespace AiGateway.Core.Tokens;

/// <summary>
/// A calibrated token estimate for a model family whose tokenizer the gateway does not ship: a linear model of the
/// text's token count in an OpenAI vocabulary and of a few character features (ASCII letters, digits, whitespace,
/// punctuation, CJK, other characters, line feeds, runs of two or more blanks, words and numbers), fitted by least
/// squares on the relative error against the family's reference tokenizer (tools/token-calibration,
/// docs/tokens-and-costs.md). Immutable and shared.
/// </summary>
public sealed class TokenEstimator
{
    /// <summary>How many character features the model has (the weights hold one more, for the base count).</summary>
    internal const int FeatureCount = 10;

    private readonly double[] _weights;

    internal TokenEstimator(string family, TokenEncoding baseEncoding, double[] weights, double meanError, double p95Error)
    {
        if (weights.Length != FeatureCount + 1)
        {
            throw new ArgumentException($"expected {FeatureCount + 1} weights", nameof(weights));
        }

        Family = family;
        BaseEncoding = baseEncoding;
        _weights = weights;
        MeanError = meanError;
        P95Error = p95Error;
    }

    /// <summary>The model family (claude, gemini, llama, granite).</summary>
    public string Family { get; }

    /// <summary>The OpenAI vocabulary whose count the model starts from.</summary>
    public TokenEncoding BaseEncoding { get; }

    /// <summary>Mean absolute relative error on the held-out calibration samples (0.023 = 2.3%).</summary>
    public double MeanError { get; }

    /// <summary>95th percentile of the absolute relative error on the held-out calibration samples.</summary>
    public double P95Error { get; }

    /// <summary>The estimated token count of a text whose base-vocabulary count is <paramref name="baseTokens"/>, unrounded.</summary>
    public double Estimate(long baseTokens, ReadOnlySpan<char> text)
    {
        Span<int> features = stackalloc int[FeatureCount];
        AddFeatures(text, features);
        var total = _weights[0] * baseTokens;
        for (var i = 0; i < FeatureCount; i++)
        {
            total += _weights[i + 1] * features[i];
        }

        return Math.Max(0, total);
    }

    /// <summary>Rounds a (summed) estimate to whole tokens, as the calibration did.</summary>
    public static long Round(double estimate) => (long)Math.Round(Math.Max(0, estimate), MidpointRounding.AwayFromZero);

    /// <summary>
    /// Adds the character features of <paramref name="text"/> to <paramref name="features"/>: counts per class
    /// (see <see cref="Classify"/>), then line feeds, runs of two or more spaces or tabs, runs of ASCII letters and
    /// runs of ASCII digits. Must agree with tools/token-calibration/features.cjs.
    /// </summary>
    internal static void AddFeatures(ReadOnlySpan<char> text, Span<int> features)
    {
        var blank = 0;
        var previous = -1;
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            var cls = Classify(codePoint);
            features[cls]++;
            if (codePoint == '\n')
            {
                features[6]++;
            }

            if (codePoint is ' ' or '\t')
            {
                blank++;
            }
            else
            {
                if (blank >= 2)
                {
                    features[7]++;
                }

                blank = 0;
            }

            if (cls == 0 && previous != 0)
            {
                features[8]++;
            }

            if (cls == 1 && previous != 1)
            {
                features[9]++;
            }

            previous = cls;
        }

        if (blank >= 2)
        {
            features[7]++;
        }
    }

    /// <summary>0 ASCII letters, 1 ASCII digits, 2 space/tab/CR/LF, 3 other printable ASCII, 4 CJK, kana, Hangul and full-width forms, 5 the rest.</summary>
    internal static int Classify(int codePoint) => codePoint switch
    {
        (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') => 0,
        >= '0' and <= '9' => 1,
        ' ' or '\t' or '\n' or '\r' => 2,
        >= 0x21 and <= 0x7E => 3,
        (>= 0x3000 and <= 0x30FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF)
            or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF) or (>= 0xFF00 and <= 0xFFEF) => 4,
        _ => 5,
    };
}
