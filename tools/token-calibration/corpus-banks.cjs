'use strict';
// Sentence, snippet and word banks the corpus is drawn from. All text here was written for this
// repository; none of it is quoted from elsewhere.

exports.english = [
  'The gateway reads each request once and keeps the original bytes for retries.',
  'When the provider omits usage, the streamed output is counted locally and marked as an estimate.',
  'Our team met on Tuesday to review the quarterly budget and agreed to move two projects into next year.',
  'She parked the bicycle beside the bakery, bought a loaf of rye bread, and walked the rest of the way home.',
  'Rate limits protect shared capacity, but a limit that is too strict frustrates the people it is meant to serve.',
  'The museum reopened after a long renovation, with new lighting in the gallery of maritime maps.',
  'If the cache is cold, the first request takes longer; later requests reuse the compiled rules.',
  'Please confirm the delivery address before Friday so the courier can schedule the pickup.',
  'A careful reviewer reads the tests first, because they say what the code is supposed to do.',
  'The river rose three feet overnight, and the farmers moved their cattle to the higher pasture.',
  'Latency is a distribution, not a number, so we report the median and the ninety-ninth percentile.',
  'He spent the afternoon repairing an old radio, replacing two capacitors and a frayed speaker cable.',
  'Every configuration error names the file, the path inside it, and what value was expected.',
  'The recipe calls for two cups of flour, a pinch of salt, and butter softened at room temperature.',
  'Most outages begin with a small change that nobody expected to matter.',
  'The committee postponed its decision until the engineers could measure the effect on battery life.',
  'Tokens are not words: a long, rare word may become four tokens while a common one stays whole.',
  'In the spring the hillside turns yellow with wildflowers, and hikers crowd the narrow trail.',
  'We rolled the release back within nine minutes and wrote down what the alerts had missed.',
  'The invoice lists forty-two line items, three of which were billed twice by mistake.',
  'Nobody remembered who had locked the storage room, so the caretaker cut the padlock.',
  'Good documentation explains the why, not only the how, and it is dated so readers can judge it.',
  'The train was delayed by a signal fault near the junction, and passengers waited on the platform.',
  'A cheap estimate computed before the request is sent is better than an exact one that arrives too late.',
  'Her thesis compared irrigation methods in dry regions and found that drip lines saved most water.',
  'The library extended its opening hours during exam week and added extra desks on the third floor.',
  'Customers asked for clearer error messages, so we rewrote them in plain language.',
  'After the storm, volunteers cleared fallen branches from the roads and checked on elderly neighbours.',
  'The model answered quickly, but its summary left out the one figure the manager actually needed.',
  'Two of the servers ran an older kernel, which explained the uneven memory usage.',
  'Bring a warm jacket; the evenings on the coast are windy even in the middle of summer.',
  'The orchestra rehearsed the second movement slowly until the strings and horns were in step.',
  'Costs are recorded in millionths of a dollar so that rounding never hides a cheap request.',
  'The survey had a response rate of sixty percent, higher than any previous year.',
  'Fresh paint, new shelves and a brighter sign made the little shop look twice as large.',
  'Security reviews go faster when secrets never appear in logs in the first place.',
  'The children built a cardboard castle with a drawbridge that actually opened.',
  'I would like to cancel my subscription and receive a refund for the unused months.',
  'Can you explain why the second test fails only when the machine is under heavy load?',
  'The translation kept the meaning but lost the rhythm of the original poem.',
  'Weather permitting, the ferry leaves at half past seven and returns shortly before noon.',
  'Engineers like small pull requests because each one can be understood in a single sitting.',
  'Our accountant recommends keeping receipts for at least seven years.',
  'The mountain village has one shop, one school, and a bus that comes twice a day.',
  'Write the failing test first, then the smallest change that makes it pass.',
  'Inflation slowed in the third quarter, though food prices kept climbing.',
  'The pilot announced that we would land twenty minutes early thanks to a strong tailwind.',
  'Dashboards are useful only if someone looks at them when the numbers change.',
  'A stray cat has adopted the office and now sleeps on the warmest printer.',
  'The contract renews automatically unless either party gives ninety days of written notice.',
  'Quantum computers are still noisy, and most useful algorithms need error correction first.',
  'Remember to water the tomatoes early in the morning, before the sun is high.',
];

exports.japanese = [
  'ゲートウェイはリクエストを一度だけ読み込み、再試行のために元のバイト列を保持します。',
  '昨日は朝から雨が降っていたので、図書館で一日中本を読んで過ごしました。',
  '来週の会議では、新しい料金体系について営業部と技術部が意見を交わす予定です。',
  'このエラーメッセージは、設定ファイルのどの行が間違っているかを具体的に示しています。',
  '駅前の小さなパン屋さんは、毎朝六時に焼きたてのクロワッサンを並べます。',
  'トークン数は文字数とは一致しないため、料金の見積もりには専用の計算が必要です。',
  '台風の影響で新幹線が運休となり、多くの旅行者が駅で足止めされました。',
  '彼女は大学で統計学を学び、現在は物流会社でデータ分析を担当しています。',
  '応答が遅い場合は、まずネットワークの遅延とサーバーの負荷を確認してください。',
  '春になると川沿いの桜並木が満開になり、週末には多くの花見客が訪れます。',
  '個人情報を含むログは保存せず、必要な場合は必ずマスキングしてから記録します。',
  '祖母の家の庭には柿の木があり、秋になると近所の子どもたちが実を取りに来ます。',
  '新しいバージョンでは、ストリーミング応答の途中で切断されても使用量を推定できるようになりました。',
  'お問い合わせいただいた件について、担当者から二営業日以内にご連絡いたします。',
  '山頂からの眺めは素晴らしく、遠くに富士山がはっきりと見えました。',
  'テストが失敗した原因は、タイムゾーンの設定が環境ごとに異なっていたことでした。',
  '商店街の夏祭りでは、浴衣を着た人々が屋台の間をゆっくりと歩いていました。',
  'レート制限を超えたリクエストには、再試行までの待ち時間を含むエラーを返します。',
  '私は毎朝コーヒーを淹れながら、その日の予定を手帳に書き出すことにしています。',
  '市役所の窓口は混雑していたため、オンラインで住所変更の手続きを済ませました。',
  'この料理は醤油とみりんで味付けし、最後に刻んだねぎを散らして仕上げます。',
  '障害の振り返りでは、誰かを責めるのではなく、仕組みの改善点を話し合います。',
  '電車の窓から見える田んぼは、夕日を受けて金色に輝いていました。',
  '見積もりの誤差は、英語の文章よりも日本語の文章のほうが大きくなる傾向があります。',
  '会議室の予約が重なってしまったので、打ち合わせを午後三時に変更しました。',
  '雪の多い地域では、冬の間は屋根の雪下ろしが欠かせない作業になります。',
  '顧客からの要望を受けて、管理画面に利用状況のグラフを追加しました。',
  '週末は家族で海辺のキャンプ場に行き、星空を眺めながら夜を過ごしました。',
  'パスワードは定期的に変更し、他のサービスと同じものを使わないようにしてください。',
  'その小説は、港町で暮らす三人の姉妹の成長を静かな筆致で描いています。',
  '午後から気温が下がる見込みですので、上着を一枚お持ちください。',
  '新人研修では、コードレビューの進め方とテストの書き方を重点的に教えています。',
  '地元の農家が育てたりんごは、甘みと酸味のバランスがとても良いと評判です。',
  '請求書の金額に誤りがあったため、修正版を改めてお送りいたします。',
  'キャッシュが有効な場合、二回目以降のリクエストはほとんど待ち時間なく処理されます。',
  '夜遅くまで営業している本屋は、仕事帰りの人々にとって貴重な存在です。',
  'モデルの回答は丁寧でしたが、肝心の数値が一つ抜けていました。',
  'カタカナ語が多い文章は、ひらがなや漢字の多い文章とはトークン化のされ方が異なります。',
  '明日の朝九時から、本社ビルの三階で安全講習が行われます。',
  '小さな変更を積み重ねることで、大きな障害を避けることができます。',
];

exports.otherScripts = [
  'Café au lait, crème brûlée et pâte à choux : le menu du dîner était très français.',
  'Über die Brücke führt ein schmaler Weg zum Bahnhof, der im Winter früh dunkel wird.',
  'El informe señala que la demanda creció un doce por ciento durante el último año.',
  'Привет! Сегодня мы обсудим, как считать токены для разных моделей.',
  '서울의 겨울은 춥지만, 따뜻한 국물 요리가 있어서 견딜 만합니다.',
  '这个网关会在发送请求之前估算输入的令牌数量。',
  'Ελέγξτε τις ρυθμίσεις πριν από την επανεκκίνηση της υπηρεσίας.',
  'مرحبا، هذه رسالة قصيرة لاختبار عدد الرموز.',
  'नमस्ते, यह टोकन गिनती के लिए एक छोटा वाक्य है।',
  'Ação rápida: a equipe corrigiu o erro em poucos minutos.',
  'Smörgåsbord, fjäll och älgar hör till det svenska vardagslivet.',
  'Zażółć gęślą jaźń — to zdanie zawiera wszystkie polskie litery.',
];

exports.emoji = ['🚀', '✅', '❌', '🔥', '🙂', '📦', '⚠️', '🎉', '👍', '💡'];

exports.words = [
  'order', 'customer', 'invoice', 'amount', 'currency', 'status', 'created', 'updated', 'region', 'priority',
  'weather', 'location', 'unit', 'temperature', 'query', 'limit', 'offset', 'filter', 'sort', 'language',
  'ticket', 'summary', 'assignee', 'due', 'label', 'project', 'user', 'email', 'phone', 'address',
  'product', 'sku', 'quantity', 'price', 'discount', 'warehouse', 'carrier', 'tracking', 'flight', 'seat',
];

exports.code = [
  `using System;
using System.Collections.Generic;

public sealed class InventoryService
{
    private readonly Dictionary<string, int> _stock = new(StringComparer.Ordinal);

    public void Add(string sku, int quantity)
    {
        ArgumentException.ThrowIfNullOrEmpty(sku);
        _stock[sku] = _stock.TryGetValue(sku, out var current) ? current + quantity : quantity;
    }

    public bool TryReserve(string sku, int quantity)
    {
        if (!_stock.TryGetValue(sku, out var current) || current < quantity)
        {
            return false;
        }

        _stock[sku] = current - quantity;
        return true;
    }
}
`,
  `def moving_average(values, window=3):
    """Return the moving average of a list of numbers."""
    if window <= 0:
        raise ValueError("window must be positive")
    result = []
    total = 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        if i >= window - 1:
            result.append(total / window)
    return result


if __name__ == "__main__":
    print(moving_average([1, 2, 3, 4, 5, 6], window=2))
`,
  `export async function fetchWithRetry(url, options = {}, attempts = 3) {
  let lastError;
  for (let i = 0; i < attempts; i++) {
    try {
      const response = await fetch(url, options);
      if (response.status >= 500) {
        throw new Error(\`server error \${response.status}\`);
      }
      return response;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** i));
    }
  }
  throw lastError;
}
`,
  `package limiter

import (
	"sync"
	"time"
)

// Window counts hits in fixed windows of a given length.
type Window struct {
	mu     sync.Mutex
	length time.Duration
	start  time.Time
	hits   int
}

func (w *Window) Hit(now time.Time, limit int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if now.Sub(w.start) >= w.length {
		w.start = now.Truncate(w.length)
		w.hits = 0
	}
	w.hits++
	return w.hits <= limit
}
`,
  `SELECT c.id, c.name, SUM(o.total_cents) AS revenue_cents, COUNT(*) AS orders
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.id
WHERE o.created_at >= DATE '2025-01-01'
  AND o.status IN ('paid', 'shipped')
GROUP BY c.id, c.name
HAVING COUNT(*) > 3
ORDER BY revenue_cents DESC
LIMIT 50;
`,
  `#!/usr/bin/env bash
set -euo pipefail

for file in "$@"; do
  if [[ ! -f "$file" ]]; then
    echo "missing: $file" >&2
    exit 1
  fi
  lines=$(wc -l < "$file")
  echo "$file: $lines lines"
done
`,
  `fn parse_pairs(input: &str) -> Result<Vec<(String, u32)>, String> {
    input
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (key, value) = line.split_once('=').ok_or(format!("no '=' in {line}"))?;
            let number = value.trim().parse::<u32>().map_err(|e| e.to_string())?;
            Ok((key.trim().to_string(), number))
        })
        .collect()
}
`,
  `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Status</title>
  <style>
    body { font-family: sans-serif; margin: 2rem; }
    .ok { color: #1a7f37; }
    .down { color: #cf222e; }
  </style>
</head>
<body>
  <h1>Service status</h1>
  <ul id="services"></ul>
</body>
</html>
`,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
  labels:
    app: gateway
spec:
  replicas: 3
  selector:
    matchLabels:
      app: gateway
  template:
    metadata:
      labels:
        app: gateway
    spec:
      containers:
        - name: extproc
          image: example/gateway:1.4.2
          ports:
            - containerPort: 9002
          resources:
            limits:
              cpu: "500m"
              memory: 256Mi
`,
  `public record Point(double X, double Y)
{
    public double DistanceTo(Point other) => Math.Sqrt(Math.Pow(X - other.X, 2) + Math.Pow(Y - other.Y, 2));
}

var points = new[] { new Point(0, 0), new Point(3, 4), new Point(-1, 2.5) };
var farthest = points.MaxBy(p => p.DistanceTo(new Point(0, 0)));
Console.WriteLine($"farthest: {farthest}");
`,
  `class LruCache:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: dict[str, object] = {}

    def get(self, key: str) -> object | None:
        if key not in self.items:
            return None
        value = self.items.pop(key)
        self.items[key] = value
        return value

    def put(self, key: str, value: object) -> None:
        self.items.pop(key, None)
        self.items[key] = value
        if len(self.items) > self.capacity:
            oldest = next(iter(self.items))
            del self.items[oldest]
`,
  `interface Task {
  id: number;
  title: string;
  done: boolean;
  tags?: string[];
}

function summarize(tasks: Task[]): string {
  const open = tasks.filter((t) => !t.done);
  const byTag = new Map<string, number>();
  for (const task of open) {
    for (const tag of task.tags ?? []) {
      byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
    }
  }
  return [...byTag.entries()].map(([tag, n]) => \`\${tag}: \${n}\`).join(", ");
}
`,
  `#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int values[] = {42, 7, 19, 3, 88, 56};
    size_t n = sizeof values / sizeof values[0];
    qsort(values, n, sizeof values[0], compare);
    for (size_t i = 0; i < n; i++) {
        printf("%d\\n", values[i]);
    }
    return 0;
}
`,
  `# Configuration

| key | default | meaning |
|---|---|---|
| \`timeout_ms\` | 30000 | upstream timeout |
| \`retries\` | 2 | attempts after the first |

Run \`make test\` before sending a change. See [the guide](docs/guide.md) for details.
`,
];
