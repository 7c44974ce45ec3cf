using System.Text;
using AiGateway.Core.Pii;
using AiGateway.Core.Pii.Detection;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// PII masking of 1,000,000 characters of mixed text with every built-in detector in mask mode;
/// MB/s = 1 / mean seconds (1 MB = 10⁶ UTF-16 characters; the same text is 1.28 MB in UTF-8).
/// The text is what a chat request carries: English prose (54 % of the characters, with the dates, amounts,
/// versions, times and order numbers business text has), Japanese prose (14 % of the characters, a third of
/// the UTF-8 bytes) and tool-call arguments and tool results as JSON (31 %), with one entity per about
/// 2,000 characters (476), every type in turn (half- and full-width phones, E.164, IPv6, IBAN, My Number
/// included). Also the same text with no entity.
/// </summary>
[MemoryDiagnoser]
public class PiiMaskingBenchmarks
{
    private static readonly string[] English =
    [
        "The quarterly report shows steady growth in all regions, with order 1234567 shipped on 2024-05-01. ",
        "Version 2.4.1 fixes the cache bug; see ticket 88-1234-77 for details and run the tests again. ",
        "Meeting at 12:30:45 in room 404, building C. Total cost was $1,234.56 for 12 items. ",
        "Could you summarise the attached contract and list every obligation with its due date? ",
        "The customer asked why invoice INV-2024-0042 was charged twice in March, and whether a refund is possible. ",
        "Here is the stack trace from the failing job (exit code 137, out of memory after 45 minutes). ",
        "Please rewrite the paragraph below in a friendlier tone, keeping it under 120 words. ",
        "Our SLA promises 99.9% availability; last month we reached 99.95% across 3 data centres. ",
        "She said the shipment of 250 units would arrive between 9 and 11 on Tuesday, weather permitting. ",
        "Translate the following product description into Japanese, keeping the brand names in English. ",
    ];

    private static readonly string[] Japanese =
    [
        "お問い合わせいただきありがとうございます。担当者より折り返しご連絡いたします。",
        "先月の売上は前年同月比で12%増加し、特に関東地域での伸びが顕著でした。",
        "添付の資料をご確認のうえ、5月20日までにご返信いただけますと幸いです。",
        "システムメンテナンスのため、6月1日の午前2時から4時までサービスを停止します。",
        "ご注文の商品は本日発送いたしました。到着まで2〜3日ほどお待ちください。",
        "会議の議事録を要約し、決定事項と次のアクションを箇条書きにしてください。",
        "新しいサーバーへの移行は、テスト環境での検証が完了してから実施する予定です。",
    ];

    private static readonly string[] ToolJson =
    [
        """{"role":"assistant","tool_calls":[{"id":"call_8fK2xQ","type":"function","function":{"name":"search_orders","arguments":"{\"status\":\"shipped\",\"since\":\"2024-05-01\",\"limit\":20}"}}]} """,
        """{"role":"tool","tool_call_id":"call_8fK2xQ","content":"[{\"order_id\":\"A-10293\",\"total\":129.5,\"currency\":\"EUR\",\"items\":3,\"updated_at\":\"2024-05-02T08:15:00Z\"}]"} """,
        """{"role":"tool","tool_call_id":"call_Zp41","content":"{\"temperature\":21.4,\"humidity\":0.63,\"city\":\"Tokyo\",\"forecast\":[\"sunny\",\"cloudy\"]}"} """,
        """{"name":"create_ticket","arguments":{"title":"Login page times out","priority":"high","labels":["auth","web"],"estimate_hours":4}} """,
    ];

    private static readonly string[] Entities =
    [
        "john.doe@example.com", "(212) 555-0199", "090-1234-5678", "4111 1111 1111 1111", "192.168.10.20",
        "DE89 3704 0044 0532 0130 00", "123-45-6789", "+44 20 7946 0958", "０３－１２３４－５６７８", "2001:db8::8a2e:370:7334",
        "1234 5678 9018",
    ];

    private PiiDetector _detector = null!;
    private PiiMasker _masker = null!;
    private string _mixed = string.Empty;
    private string _clean = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _detector = new PiiDetector(PiiDetector.AllBuiltIn);
        _masker = new PiiMasker(_detector, new Dictionary<string, PiiRule>(), "key"u8.ToArray());
        (_mixed, var entities) = MixedText(withEntities: true);
        (_clean, _) = MixedText(withEntities: false);
        var found = _masker.Mask(_mixed, "tenant", new PiiPlaceholders()).Found.Values.Sum();
        if (found != entities || _masker.Mask(_clean, "tenant", new PiiPlaceholders()).Found.Count != 0)
        {
            throw new InvalidOperationException($"expected {entities} findings in the mixed text and none in the clean one, found {found}");
        }
    }

    /// <summary>The benchmark text: 1,000,000 characters; the number of entities placed in it.</summary>
    internal static (string Text, int Entities) MixedText(bool withEntities)
    {
        var text = new StringBuilder(1_001_000);
        var entities = 0;
        var sinceEntity = 0;
        for (var i = 0; text.Length < 1_000_000; i++)
        {
            var piece = (i % 6) switch
            {
                0 or 2 or 4 => English[(i * 7) % English.Length],
                1 or 3 => Japanese[(i * 5) % Japanese.Length],
                _ => ToolJson[(i / 6) % ToolJson.Length],
            };
            text.Append(piece);
            sinceEntity += piece.Length;
            if (withEntities && sinceEntity >= 2_000 && text.Length < 999_900)
            {
                var entity = Entities[entities % Entities.Length];
                text.Append(i % 2 == 0 ? "Contact: " : "連絡先：").Append(entity).Append(i % 2 == 0 ? ". " : "。");
                entities++;
                sinceEntity = 0;
            }
        }

        return (text.ToString(0, 1_000_000), entities);
    }

    [Benchmark]
    public int Mask_1MB_mixed_text() => _masker.Mask(_mixed, "tenant", new PiiPlaceholders()).Text.Length;

    /// <summary>2 KB of model output in 4-character deltas through the hold-back masker (per-stream cost).</summary>
    [Benchmark]
    public int Mask_2KB_output_streamed_in_4_char_deltas()
    {
        var stream = new StreamingTextMasker(_masker, "tenant", new PiiPlaceholders());
        var released = 0;
        for (var i = 0; i < 2048; i += 4)
        {
            released += stream.Push(_mixed.Substring(i, 4)).Length;
        }

        return released + stream.Flush().Length;
    }

    [Benchmark]
    public int Scan_1MB_text_without_entities() => _masker.Mask(_clean, "tenant", new PiiPlaceholders()).Text.Length;

    /// <summary>Detection alone (no replacement), the way <see cref="PiiDetector"/> does it.</summary>
    [Benchmark]
    public int Find_1MB_mixed_text() => _detector.Find(_mixed).Count;

    /// <summary>
    /// Detection alone the way it ran before candidate scanning: every built-in pattern over the whole text
    /// (same findings), to compare both in one run.
    /// </summary>
    [Benchmark]
    public int Find_1MB_mixed_text_with_whole_text_regexes()
    {
        var found = 0;
        foreach (var pattern in PiiPatterns.All)
        {
            foreach (var m in PiiPatterns.RegexOf(pattern).EnumerateMatches(_mixed))
            {
                found += PiiPatterns.Accepts(pattern, _mixed.AsSpan(m.Index, m.Length)) ? 1 : 0;
            }
        }

        return found;
    }
}
