'use strict';
// Writes the calibration corpus (six text classes, 60 samples each) from the banks in corpus-banks.cjs with a
// fixed seed, so re-running it reproduces the committed files byte for byte.
const fs = require('fs');
const path = require('path');
const banks = require('./corpus-banks.cjs');

const outDir = path.resolve(__dirname, '../../tests/AiGateway.Core.Tests/Fixtures/Tokens/calibration/corpus');
const perClass = 60;

function mulberry32(seed) {
  return function next() {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261123);
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (list) => list[Math.floor(random() * list.length)];
// Lengths from a few words to a few thousand tokens: a log-uniform draw.
const length = (max) => Math.max(1, Math.round(Math.exp(random() * Math.log(max))));

function prose(bank, sentences, joiner) {
  const parts = [];
  for (let i = 0; i < sentences; i++) {
    parts.push(pick(bank));
    if (i < sentences - 1) {
      parts.push(random() < 0.15 ? '\n\n' : joiner);
    }
  }
  return parts.join('');
}

function number() {
  switch (int(0, 4)) {
    case 0: return String(int(0, 99));
    case 1: return String(int(100, 99999));
    case 2: return (random() * 1000).toFixed(2);
    case 3: return `${int(2019, 2026)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    default: return String(int(1000000, 999999999));
  }
}

function english() {
  const n = length(60);
  let text = prose(banks.english, n, ' ');
  if (random() < 0.3) {
    text = `${pick(['Summary', 'Notes', 'Background', 'Minutes'])}: ${text} Total: ${number()}.`;
  }
  return n === 1 && random() < 0.5 ? text.split(' ').slice(0, int(2, 6)).join(' ') : text;
}

function japanese() {
  const n = length(60);
  let text = prose(banks.japanese, n, random() < 0.3 ? '\n' : '');
  if (random() < 0.3) {
    text = `【${pick(['お知らせ', '議事録', '報告', 'メモ'])}】${text}（合計${number()}件）`;
  }
  return text;
}

function rename(snippet) {
  // Vary identifiers so repeated snippets are not identical.
  const word = pick(banks.words);
  return snippet.replace(/\b(values|items|tasks|points|file|key|value)\b/g, (m) => (random() < 0.5 ? m : word));
}

function code() {
  const n = length(5);
  const parts = [];
  for (let i = 0; i < n; i++) {
    let snippet = rename(pick(banks.code));
    if (random() < 0.2) {
      snippet = snippet.replace(/^ {4}/gm, '\t');
    }

    parts.push(snippet);
  }

  const text = parts.join('\n');
  // A few short samples: a single line of a snippet.
  if (random() < 0.15) {
    const lines = text.split('\n').filter((l) => l.trim().length > 0);
    return pick(lines).trim();
  }

  return text;
}

function schemaProperty() {
  const type = pick(['string', 'integer', 'number', 'boolean', 'array']);
  const property = { type, description: pick(banks.english).replace(/\.$/, '') };
  if (type === 'string' && random() < 0.4) {
    property.enum = Array.from({ length: int(2, 6) }, () => pick(banks.words));
  }

  if (type === 'array') {
    property.items = { type: pick(['string', 'integer']) };
  }

  return property;
}

function toolSchema() {
  const properties = {};
  const count = int(1, 8);
  for (let i = 0; i < count; i++) {
    properties[`${pick(banks.words)}_${pick(banks.words)}`] = schemaProperty();
  }

  return {
    type: 'function',
    function: {
      name: `${pick(['get', 'create', 'update', 'search', 'delete', 'list'])}_${pick(banks.words)}`,
      description: pick(banks.english),
      parameters: { type: 'object', properties, required: Object.keys(properties).slice(0, int(0, count)) },
    },
  };
}

function record() {
  const value = {};
  const count = int(2, 10);
  for (let i = 0; i < count; i++) {
    const kind = int(0, 4);
    value[pick(banks.words)] = kind === 0 ? Number(number().replace(/-/g, '')) : kind === 1 ? random() < 0.5
      : kind === 2 ? pick(banks.english) : kind === 3 ? pick(banks.japanese) : `${pick(banks.words)}-${int(1, 9999)}`;
  }

  return value;
}

function json() {
  const kind = int(0, 3);
  const value = kind === 0 ? { tools: Array.from({ length: length(6) }, toolSchema) }
    : kind === 1 ? toolSchema()
    : kind === 2 ? { data: Array.from({ length: length(40) }, record), next_cursor: random() < 0.5 ? null : `c_${int(1, 1e9)}` }
    : record();
  return random() < 0.5 ? JSON.stringify(value) : JSON.stringify(value, null, random() < 0.7 ? 2 : 4);
}

function chat() {
  const turns = length(16);
  const japanese = random() < 0.25;
  const lines = [];
  for (let i = 0; i < turns; i++) {
    const user = i % 2 === 0;
    const bank = japanese ? banks.japanese : banks.english;
    let text = prose(bank, length(user ? 3 : 8), japanese ? '' : ' ');
    if (!user && random() < 0.25) {
      text += `\n\n\`\`\`\n${pick(banks.code).split('\n').slice(0, int(3, 12)).join('\n')}\n\`\`\``;
    }

    if (!user && random() < 0.25) {
      text += '\n' + Array.from({ length: int(2, 5) }, () => `- ${pick(bank)}`).join('\n');
    }

    const role = user ? pick(['User', 'user', 'Human']) : pick(['Assistant', 'assistant', 'AI']);
    lines.push(`${role}: ${text}`);
  }

  return lines.join('\n\n');
}

function mixed() {
  const parts = [];
  const count = length(30);
  for (let i = 0; i < count; i++) {
    switch (int(0, 8)) {
      case 0: parts.push(pick(banks.english)); break;
      case 1: parts.push(pick(banks.japanese)); break;
      case 2: parts.push(pick(banks.otherScripts)); break;
      case 3: parts.push(`${pick(banks.emoji)} ${pick(banks.english)}`); break;
      case 4: parts.push(`https://example.com/${pick(banks.words)}/${int(1, 99999)}?lang=${pick(['en', 'ja', 'de'])}`); break;
      case 5: parts.push(`${pick(banks.words)}=${number()}; ${pick(banks.words)}=${number()}`); break;
      case 6: parts.push('`' + pick(banks.code).split('\n').find((l) => l.trim().length > 8).trim() + '`'); break;
      case 7: parts.push(`${pick(banks.japanese)} (${pick(banks.english)})`); break;
      default: parts.push(`ID ${int(1, 9999)}-${pick(banks.words).toUpperCase()} ${pick(banks.emoji)}`); break;
    }
  }

  return parts.join(random() < 0.5 ? ' ' : '\n');
}

const classes = { english, japanese, code, json, chat, mixed };
fs.mkdirSync(outDir, { recursive: true });
for (const [name, make] of Object.entries(classes)) {
  const lines = [];
  for (let i = 1; i <= perClass; i++) {
    lines.push(JSON.stringify({ id: `${name}-${String(i).padStart(3, '0')}`, text: make() }));
  }

  fs.writeFileSync(path.join(outDir, `${name}.jsonl`), lines.join('\n') + '\n');
}

console.log(`wrote ${Object.keys(classes).length * perClass} samples to ${outDir}`);
