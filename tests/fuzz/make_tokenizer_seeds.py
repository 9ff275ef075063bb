#!/usr/bin/python3
# Writes the small seed inputs in seeds/tokenizer_*/ for the tokenizer fuzz targets (run once; the
# outputs are committed): a tiny byte-level vocabulary with a few merges in each file format.
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def byte_chars():
    # GPT-2's byte -> character mapping: printable bytes stand for themselves, the rest map to U+0100…
    out, n = {}, 0
    for b in range(256):
        if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + n)
            n += 1
    return out


B = byte_chars()
tokens = [B[b] for b in range(256)]
merges = [("t", "h"), ("th", "e"), (B[32], "the"), ("a", "b"), ("ab", "ab"), (B[0xE6], B[0x97])]
for a, b in merges:
    tokens.append(a + b)
vocab = {t: i for i, t in enumerate(tokens)}
vocab["<|endoftext|>"] = len(tokens)
merges_txt = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges)


def write(target, name, data):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


write("tokenizer_vocab_merges", "valid", json.dumps(vocab, ensure_ascii=False) + "\0" + merges_txt)
write("tokenizer_vocab_merges", "one_token_line", json.dumps(vocab, ensure_ascii=False) + "\0" + merges_txt + "ab\n")
write("tokenizer_hf_json", "valid", json.dumps({
    "version": "1.0", "normalizer": None,
    "added_tokens": [{"id": len(tokens), "content": "<|endoftext|>", "special": True}],
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    "model": {"type": "BPE", "vocab": {t: i for i, t in enumerate(tokens)}, "merges": [f"{a} {b}" for a, b in merges]},
}, ensure_ascii=False))
ids = {t: i for i, t in enumerate(tokens)}
write("tokenizer_glassbox_json", "valid", json.dumps({
    "format": "glassbox.bpe", "version": 1, "pretokenizer": "gpt2",
    "tokens": tokens + ["<|endoftext|>"],
    "merges": [[ids[a], ids[b], ids[a + b]] for a, b in merges],
    "specials": [{"id": len(tokens), "content": "<|endoftext|>"}],
}, ensure_ascii=False))
write("tokenizer_roundtrip", "text", "Once upon a time, the cat's hat wasn't red.\n\n  It said: \"hi\" 42 times!")
write("tokenizer_roundtrip", "unicode", "日本語 naïve café 🎉👨‍👩‍👧 Ελληνικά <|endoftext|> \u00a0\u3000x")
write("tokenizer_roundtrip", "bytes", bytes(range(256)) + b"\xe6\x97\xff\xc0\x80\xed\xa0\x80")
