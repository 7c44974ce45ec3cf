'use strict';
// Fits one estimator per family on the "fit" split of reference-counts.json, reports the error on the held-out
// "test" split, and writes the coefficients to src/AiGateway.Core/Tokens/TokenEstimatorCoefficients.cs.
// Model: tokens(family) ≈ a·tokens(base vocabulary) + Σ b_c·chars(class c), fitted by least squares on the
// relative error (rows weighted by 1/reference), for each base vocabulary (o200k_base, cl100k_base) and also
// without the base count or the features (reported for comparison); of the two base vocabularies with features, the
// one with the smaller mean held-out error wins.
const fs = require('fs');
const path = require('path');
const { featureNames, features } = require('./features.cjs');

const root = path.resolve(__dirname, '../..');
const calibrationDir = path.join(root, 'tests/AiGateway.Core.Tests/Fixtures/Tokens/calibration');
const fixture = JSON.parse(fs.readFileSync(path.join(calibrationDir, 'reference-counts.json'), 'utf8'));
const texts = new Map();
for (const file of fs.readdirSync(path.join(calibrationDir, 'corpus'))) {
  for (const line of fs.readFileSync(path.join(calibrationDir, 'corpus', file), 'utf8').split('\n')) {
    if (line.length > 0) {
      const { id, text } = JSON.parse(line);
      texts.set(id, text);
    }
  }
}

const samples = fixture.samples.map((s) => ({ ...s, features: features(texts.get(s.id)) }));
const families = ['claude', 'gemini', 'llama', 'granite'];
const variants = {
  'o200k ratio': { base: 'o200k', features: false },
  'cl100k ratio': { base: 'cl100k', features: false },
  'features only': { base: null, features: true },
  'o200k + features': { base: 'o200k', features: true },
  'cl100k + features': { base: 'cl100k', features: true },
};

const row = (s, v) => [...(v.base ? [s.counts[v.base]] : []), ...(v.features ? s.features : [])];

function solve(a, b) {
  // Gaussian elimination with partial pivoting on the normal equations (at most 7 unknowns).
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) throw new Error('singular');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }

  return m.map((r, i) => r[n] / r[i]);
}

function fit(family, v) {
  const rows = samples.filter((s) => s.split === 'fit');
  const k = row(rows[0], v).length;
  const ata = Array.from({ length: k }, () => new Array(k).fill(0));
  const atb = new Array(k).fill(0);
  for (const s of rows) {
    const y = s.counts[family];
    const x = row(s, v).map((value) => value / y);
    for (let i = 0; i < k; i++) {
      atb[i] += x[i];
      for (let j = 0; j < k; j++) ata[i][j] += x[i] * x[j];
    }
  }

  return solve(ata, atb);
}

const estimate = (s, v, beta) => Math.max(0, Math.round(row(s, v).reduce((sum, x, i) => sum + x * beta[i], 0)));

function errors(family, v, beta, filter) {
  return samples.filter(filter).map((s) => Math.abs(estimate(s, v, beta) - s.counts[family]) / s.counts[family]);
}

const mean = (e) => e.reduce((a, b) => a + b, 0) / e.length;
const p95 = (e) => [...e].sort((a, b) => a - b)[Math.ceil(0.95 * e.length) - 1];
const pct = (x) => (100 * x).toFixed(1);
const chosen = {};
const report = [];
for (const family of families) {
  report.push(`\n${family}: held-out mean / p95 absolute error (%)`);
  let best = null;
  for (const [name, v] of Object.entries(variants)) {
    const beta = fit(family, v);
    const e = errors(family, v, beta, (s) => s.split === 'test');
    report.push(`  ${name.padEnd(18)} ${pct(mean(e)).padStart(5)} / ${pct(p95(e)).padStart(5)}   [${beta.map((b) => b.toFixed(4)).join(', ')}]`);
    if (v.base && v.features && (best === null || mean(e) < best.mean)) best = { name, v, beta, mean: mean(e) };
  }

  chosen[family] = best;
  report.push(`  chosen: ${best.name}`);
}

// Markdown tables for docs/tokens-and-costs.md: held-out error per family and text class.
const classes = ['english', 'japanese', 'code', 'json', 'chat', 'mixed'];
const cell = (e) => `${pct(mean(e))} / ${pct(p95(e))}`;
report.push('\n| family | base | all (mean / p95 %) | ' + classes.join(' | ') + ' |');
report.push('|---|---|---|' + classes.map(() => '---|').join(''));
const tableRow = (label, family, reference) => {
  const c = chosen[family];
  const e = (filter) => samples.filter((s) => s.split === 'test' && filter(s))
    .map((s) => Math.abs(estimate(s, c.v, c.beta) - s.counts[reference]) / s.counts[reference]);
  return `| ${label} | ${c.v.base}_base | ${cell(e(() => true))} | ${classes.map((k) => cell(e((s) => s.class === k))).join(' | ')} |`;
};
for (const family of families) report.push(tableRow(family, family, family));
report.push(tableRow('gemini vs gemini_1 reference', 'gemini', 'gemini_1'));
console.log(report.join('\n'));

// The C# coefficients.
const encodingName = { o200k: 'TokenEncoding.O200kBase', cl100k: 'TokenEncoding.Cl100kBase' };
const number = (x) => {
  const text = x.toPrecision(6);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
};
const fields = families.map((family) => {
  const c = chosen[family];
  const e = errors(family, c.v, c.beta, (s) => s.split === 'test');
  const name = family[0].toUpperCase() + family.slice(1);
  return `    /// <summary>${fixture.references[family].source}: held-out mean ${pct(mean(e))}%, p95 ${pct(p95(e))}%.</summary>
    public static readonly TokenEstimator ${name} = new(
        "${family}",
        ${encodingName[c.v.base]},
        [${c.beta.map(number).join(', ')}],
        meanError: ${mean(e).toFixed(4)},
        p95Error: ${p95(e).toFixed(4)});`;
});
const source = `// <auto-generated>
// Written by tools/token-calibration/fit.cjs from tests/AiGateway.Core.Tests/Fixtures/Tokens/calibration.
// Re-run the tool instead of editing this file (see tools/token-calibration/README.md).
// </auto-generated>
namespace AiGateway.Core.Tokens;

/// <summary>The fitted estimators; weights: base-vocabulary tokens, then ${featureNames.join(', ')}.</summary>
internal static class TokenEstimatorCoefficients
{
${fields.join('\n\n')}
}
`;
fs.writeFileSync(path.join(root, 'src/AiGateway.Core/Tokens/TokenEstimatorCoefficients.cs'), source);
module.exports = { samples, chosen, errors, mean, p95, pct, families };
