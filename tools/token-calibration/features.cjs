'use strict';
// The text features the estimators use, besides the token count of the base vocabulary.
// TokenEstimator.AddFeatures in src/AiGateway.Core/Tokens must compute exactly the same values.
exports.featureNames = [
  'letters', 'digits', 'whitespace', 'punctuation', 'cjk', 'other',
  'newlines', 'blank_runs', 'words', 'numbers',
];

// 0 ASCII letters, 1 ASCII digits, 2 space/tab/CR/LF, 3 other printable ASCII, 4 CJK/kana/Hangul/full-width, 5 the rest.
exports.classify = function classify(codePoint) {
  if ((codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a)) return 0;
  if (codePoint >= 0x30 && codePoint <= 0x39) return 1;
  if (codePoint === 0x20 || codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) return 2;
  if (codePoint >= 0x21 && codePoint <= 0x7e) return 3;
  if ((codePoint >= 0x3000 && codePoint <= 0x30ff) || (codePoint >= 0x3400 && codePoint <= 0x4dbf)
    || (codePoint >= 0x4e00 && codePoint <= 0x9fff) || (codePoint >= 0xac00 && codePoint <= 0xd7af)
    || (codePoint >= 0xf900 && codePoint <= 0xfaff) || (codePoint >= 0xff00 && codePoint <= 0xffef)) return 4;
  return 5;
};

// Character counts per class, then: line feeds, runs of two or more spaces/tabs (indentation), runs of ASCII
// letters (words) and runs of ASCII digits (numbers).
exports.features = function features(text) {
  const f = new Array(exports.featureNames.length).fill(0);
  let blank = 0;
  let previous = -1;
  for (const ch of text) {
    const codePoint = ch.codePointAt(0);
    const cls = exports.classify(codePoint);
    f[cls]++;
    if (codePoint === 0x0a) f[6]++;
    if (codePoint === 0x20 || codePoint === 0x09) {
      blank++;
    } else {
      if (blank >= 2) f[7]++;
      blank = 0;
    }

    if (cls === 0 && previous !== 0) f[8]++;
    if (cls === 1 && previous !== 1) f[9]++;
    previous = cls;
  }

  if (blank >= 2) f[7]++;
  return f;
};
