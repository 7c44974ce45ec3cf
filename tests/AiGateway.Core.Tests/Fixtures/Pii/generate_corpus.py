#!/usr/bin/env python3
"""Generates corpus.jsonl: a labelled PII corpus of our own (English and Japanese).

Each line: {"text": ..., "entities": [{"type": ..., "value": ...}]}. Positives carry one or more
entities; hard negatives look like PII (wrong checksums, invalid SSN areas, dates, versions, order
numbers, postal codes) and carry none. Deterministic (fixed seed): rerun to regenerate.
"""
import json, random

rng = random.Random(20261123)
FW = str.maketrans('0123456789-', '０１２３４５６７８９－')

def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(rng.randrange(10))
    for check in range(10):
        d = digits + [check]
        s = 0
        for i, x in enumerate(reversed(d)):
            if i % 2 == 1:
                x *= 2
                if x > 9: x -= 9
            s += x
        if s % 10 == 0:
            return ''.join(map(str, d))

def luhn_break(number):
    last = int(number[-1])
    return number[:-1] + str((last + rng.randrange(1, 10)) % 10)

def group(number, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(number[i:i+s]); i += s
    return sep.join(out)

def card():
    kind = rng.choice(['visa', 'mc', 'mc2', 'amex', 'jcb', 'discover'])
    if kind == 'amex':
        n = luhn_complete(rng.choice(['34', '37']), 15)
        return n if rng.random() < 0.3 else group(n, [4, 6, 5], rng.choice([' ', '-']))
    prefix = {'visa': '4', 'mc': str(rng.randint(51, 55)), 'mc2': str(rng.randint(2221, 2720)), 'jcb': '35' + str(rng.randint(28, 89)), 'discover': '6011'}[kind]
    n = luhn_complete(prefix, 16)
    return n if rng.random() < 0.3 else group(n, [4, 4, 4, 4], rng.choice([' ', '-']))

def ssn():
    while True:
        area = rng.randint(1, 899)
        if area != 666: break
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"

def bad_ssn():
    return rng.choice([
        f"000-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}",
        f"666-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}",
        f"{rng.randint(900, 999)}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}",
        f"{rng.randint(1, 665):03d}-00-{rng.randint(1, 9999):04d}",
        f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-0000",
    ])

def my_number_check(d11):
    total = 0
    for n in range(1, 12):
        p = int(d11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return 0 if r <= 1 else 11 - r

def my_number(valid=True):
    d11 = ''.join(str(rng.randrange(10)) for _ in range(11))
    c = my_number_check(d11)
    if not valid:
        c = (c + rng.randrange(1, 10)) % 10
        if c == my_number_check(d11): c = (c + 1) % 10
    n = d11 + str(c)
    style = rng.random()
    if style < 0.4: return n
    if style < 0.7: return group(n, [4, 4, 4], rng.choice([' ', '-']))
    return n.translate(FW) if style < 0.85 else group(n, [4, 4, 4], '-').translate(FW)

def iban(valid=True):
    country, body = rng.choice([
        ('DE', lambda: ''.join(str(rng.randrange(10)) for _ in range(18))),
        ('GB', lambda: 'NWBK' + ''.join(str(rng.randrange(10)) for _ in range(14))),
        ('FR', lambda: ''.join(str(rng.randrange(10)) for _ in range(23))),
        ('NL', lambda: 'ABNA' + ''.join(str(rng.randrange(10)) for _ in range(10))),
        ('ES', lambda: ''.join(str(rng.randrange(10)) for _ in range(20))),
    ])
    bban = body()
    num = ''.join(str(int(c, 36)) for c in bban + country + '00')
    check = 98 - int(num) % 97
    if not valid:
        check = (check + rng.randrange(1, 96)) % 97 + 2
        if check == 98 - int(num) % 97: check = check % 97 + 2
    value = f"{country}{check:02d}{bban}"
    return ' '.join(value[i:i+4] for i in range(0, len(value), 4)) if rng.random() < 0.5 else value

def email():
    first = rng.choice(['john', 'maria', 'taro.yamada', 'li.wei', 'a.b', 'support', 'k_suzuki', 'anna+news', 'dev-ops', 'yuki'])
    dom = rng.choice(['example.com', 'mail.example.co.jp', 'corp.example.org', 'example.de', 'sub.example.io', 'example.jp'])
    return f"{first}{rng.randint(1, 999)}@{dom}"

def phone():
    kind = rng.choice(['nanp1', 'nanp2', 'nanp3', 'e164', 'jp', 'jpm', 'jpfw', 'jpparen'])
    a, b, c = rng.randint(200, 989), rng.randint(200, 999), rng.randint(0, 9999)
    if kind == 'nanp1': return f"({a}) {b}-{c:04d}"
    if kind == 'nanp2': return f"{a}-{b}-{c:04d}"
    if kind == 'nanp3': return f"+1 {a} {b} {c:04d}"
    if kind == 'e164': return rng.choice([f"+44 20 {rng.randint(7000, 7999)} {rng.randint(1000, 9999)}", f"+4930{rng.randint(1000000, 9999999)}", f"+81 3 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"])
    if kind == 'jp': return f"0{rng.randint(3, 6)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if kind == 'jpm': return f"0{rng.choice([7, 8, 9])}0-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if kind == 'jpfw': return f"0{rng.choice([3, 9])}0-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}".translate(FW)
    return f"03({rng.randint(1000, 9999)}){rng.randint(1000, 9999)}"

def ipv4():
    return '.'.join(str(rng.randint(0, 255)) for _ in range(4))

def ipv6():
    groups = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return ':'.join(groups)
    return '2001:db8::' + f"{rng.randint(1, 0xffff):x}"

MAKERS = {'email': email, 'phone': phone, 'ssn': ssn, 'credit_card': card, 'ip_address': lambda: rng.choice([ipv4, ipv6])(), 'iban': lambda: iban(True), 'my_number': lambda: my_number(True)}

EN = ["Please contact me at {}.", "My {} is listed below: {}", "Send the invoice to {} today.", "The value {} was entered in the form.",
      "Customer record: {} (verified)", "Can you check {} for me?", "Update the account with {} please.", "I wrote down {} yesterday."]
JA = ["連絡先は{}です。", "{}までご連絡ください。", "お客様情報：{}（確認済み）", "登録された値は{}でした。", "こちらの{}を確認してください。", "{} に送ってください。"]
LABEL_WORDS = {'email': 'email', 'phone': 'phone number', 'ssn': 'SSN', 'credit_card': 'card number', 'ip_address': 'server address', 'iban': 'IBAN', 'my_number': 'My Number'}

def sentence(value, label):
    t = rng.choice(EN + JA)
    if t.count('{}') == 2:
        return t.format(LABEL_WORDS[label], value)
    return t.format(value)

lines = []
for label, make in MAKERS.items():
    for _ in range(80):
        v = make()
        lines.append({"text": sentence(v, label), "entities": [{"type": label, "value": v}]})
for _ in range(60):
    a, b = rng.sample(list(MAKERS), 2)
    va, vb = MAKERS[a](), MAKERS[b]()
    text = rng.choice(["{} and {}", "{}、{}", "first {}, then {}"]).format(va, vb)
    lines.append({"text": "Details: " + text + ".", "entities": [{"type": a, "value": va}, {"type": b, "value": vb}]})

negatives = [
    lambda: f"Invoice {luhn_break(luhn_complete('4', 16))} was rejected.",
    lambda: f"Reference {bad_ssn()} is not a valid SSN.",
    lambda: f"番号 {my_number(False)} は無効です。",
    lambda: f"Account {iban(False)} failed validation.",
    lambda: f"Meeting on {rng.randint(2000, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} at {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.",
    lambda: f"Upgrade to version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)} now.",
    lambda: f"Order #{rng.randint(1000000000, 9999999999)} shipped.",
    lambda: f"〒{rng.randint(0, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}-{rng.randint(0, 9999):04d} 東京都千代田区",
    lambda: f"{rng.randint(2000, 2030)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日に会議があります。",
    lambda: f"The total was ${rng.randint(1, 99)},{rng.randint(100, 999)}.{rng.randint(10, 99)} for {rng.randint(2, 50)} items.",
    lambda: f"Reach me on Slack at @user{rng.randint(1, 999)} or user{rng.randint(1, 99)}@localhost.",
    lambda: f"The subnet {rng.randint(1, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)} is reserved; {rng.randint(256, 999)}.{rng.randint(0, 255)}.1.1 is not an address.",
    lambda: f"ISBN 978-4-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}-{rng.randint(0, 9)} is on the shelf.",
    lambda: f"Call ext. {rng.randint(100, 999)}-{rng.randint(10, 99)} for the lobby.",
    lambda: f"Batch {rng.randint(10, 99)}-{rng.randint(1000, 9999)}-{rng.randint(10, 99)} processed.",
    lambda: f"The ratio was {rng.randint(1, 9)}:{rng.randint(1, 9)}:{rng.randint(1, 9)} in the mix.",
    lambda: f"商品コード {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)} の在庫を確認します。",
    lambda: f"Serial SN-{rng.randint(100000, 999999)}-{rng.choice(['A', 'B', 'C'])} registered.",
    lambda: f"Pi is about 3.14159 and e is about 2.71828.",
    lambda: f"Room {rng.randint(100, 999)}, floor {rng.randint(1, 40)}, building {rng.choice('ABCDEF')}.",
]
seen = set()
neg = []
while len(neg) < 520:
    t = rng.choice(negatives)()
    if t not in seen:
        seen.add(t)
        neg.append({"text": t, "entities": []})
lines.extend(neg)
rng.shuffle(lines)
with open('corpus.jsonl', 'w', encoding='utf-8') as f:
    for line in lines:
        f.write(json.dumps(line, ensure_ascii=False) + '\n')
pos = sum(len(l['entities']) for l in lines)
print(f"{len(lines)} lines, {pos} entities, {len(neg)} hard negatives")
