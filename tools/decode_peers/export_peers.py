#!/usr/bin/python3
"""Writes the same GPT-2 weights in the formats the peer engines read, so every engine decodes the same model:

  FOLDER/model.onnx   one decoding step with a KV cache, for ONNX Runtime (torch.onnx.export of the
                      independent reference GPT in tests/transformer/ref/gpt_ref.py)
  FOLDER/model.gguf   f32 GGUF for llama.cpp (architecture gpt2), written by the small writer below from
                      the GGUF specification (magic, version 3, key/value metadata, tensor infos, aligned data)

usage: /usr/bin/python3 tools/decode_peers/export_peers.py FOLDER
FOLDER is a Hugging Face GPT-2 folder (config.json, model.safetensors, encoder.json, vocab.bpe), e.g. from
tools/make_gpt2_folder.py FOLDER --size small."""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "transformer", "ref"))
from gpt_ref import GPT  # noqa: E402


# [SECTION] ONNX: one decoding step (one new token, the past keys and values in, the grown ones out)
class Step(torch.nn.Module):
    """ids (1,) int64, pos (1,) int64, past_k/past_v (L, H, P, hs) → logits (1, V), present_k/present_v
    (L, H, P + 1, hs). One token at a time needs no causal mask: it may look at every key."""

    def __init__(self, gpt):
        super().__init__()
        self.g = gpt

    def forward(self, ids, pos, past_k, past_v):
        g = self.g
        C = g.cfg["n_embd"]
        H = g.cfg["n_head"]
        hs = C // H
        x = g.wte(ids) + g.wpe(pos)  # (1, C)
        ks, vs = [], []
        for i, blk in enumerate(g.h):
            a = blk.ln_1(x)
            q, k, v = blk.attn.c_attn(a).split(C, dim=1)
            q = q.view(1, H, hs).transpose(0, 1)  # (H, 1, hs)
            k = torch.cat([past_k[i], k.view(1, H, hs).transpose(0, 1)], dim=1)  # (H, P + 1, hs)
            v = torch.cat([past_v[i], v.view(1, H, hs).transpose(0, 1)], dim=1)
            ks.append(k)
            vs.append(v)
            w = F.softmax((q @ k.transpose(1, 2)) / math.sqrt(hs), dim=-1)
            y = (w @ v).transpose(0, 1).reshape(1, C)
            x = x + blk.attn.c_proj(y)
            x = x + blk.mlp(blk.ln_2(x))
        logits = g.ln_f(x) @ g.wte.weight.t()
        return logits, torch.stack(ks), torch.stack(vs)


def export_onnx(model, path):
    cfg = model.cfg
    L, H = cfg["n_layer"], cfg["n_head"]
    hs = cfg["n_embd"] // H
    step = Step(model).eval()
    ids = torch.tensor([3], dtype=torch.int64)
    pos = torch.tensor([2], dtype=torch.int64)
    past = torch.zeros(L, H, 2, hs)
    tmp = path + ".tmp"
    torch.onnx.export(step, (ids, pos, past, past.clone()), tmp, opset_version=14,
                      input_names=["ids", "pos", "past_k", "past_v"],
                      output_names=["logits", "present_k", "present_v"],
                      dynamic_axes={"past_k": {2: "past"}, "past_v": {2: "past"},
                                    "present_k": {2: "present"}, "present_v": {2: "present"}})
    os.replace(tmp, path)


# [SECTION] GGUF (f32), as llama.cpp's gpt2 architecture names its tensors
T_U32, T_I32, T_F32, T_STRING, T_ARRAY = 4, 5, 6, 8, 9
ALIGN = 32


def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def gguf_kv(key, vtype, value, item_type=None):
    out = gguf_string(key) + struct.pack("<I", vtype)
    if vtype == T_U32:
        out += struct.pack("<I", value)
    elif vtype == T_F32:
        out += struct.pack("<f", value)
    elif vtype == T_STRING:
        out += gguf_string(value)
    elif vtype == T_ARRAY:
        out += struct.pack("<IQ", item_type, len(value))
        if item_type == T_STRING:
            out += b"".join(gguf_string(v) for v in value)
        elif item_type == T_I32:
            out += struct.pack("<%di" % len(value), *value)
        else:
            raise ValueError("array item type %d" % item_type)
    else:
        raise ValueError("value type %d" % vtype)
    return out


def gguf_tensors(model):
    """(name, float32 tensor in the layout llama.cpp expects: a linear layer as (out, in))."""
    sd = {k: v.detach().float().contiguous() for k, v in model.state_dict().items()}
    t = [("token_embd.weight", sd["wte.weight"]), ("position_embd.weight", sd["wpe.weight"])]
    for i in range(model.cfg["n_layer"]):
        p, b = "h.%d." % i, "blk.%d." % i
        t += [(b + "attn_norm.weight", sd[p + "ln_1.weight"]), (b + "attn_norm.bias", sd[p + "ln_1.bias"]),
              (b + "attn_qkv.weight", sd[p + "attn.c_attn.weight"].t().contiguous()),
              (b + "attn_qkv.bias", sd[p + "attn.c_attn.bias"]),
              (b + "attn_output.weight", sd[p + "attn.c_proj.weight"].t().contiguous()),
              (b + "attn_output.bias", sd[p + "attn.c_proj.bias"]),
              (b + "ffn_norm.weight", sd[p + "ln_2.weight"]), (b + "ffn_norm.bias", sd[p + "ln_2.bias"]),
              (b + "ffn_up.weight", sd[p + "mlp.c_fc.weight"].t().contiguous()),
              (b + "ffn_up.bias", sd[p + "mlp.c_fc.bias"]),
              (b + "ffn_down.weight", sd[p + "mlp.c_proj.weight"].t().contiguous()),
              (b + "ffn_down.bias", sd[p + "mlp.c_proj.bias"])]
    t += [("output_norm.weight", sd["ln_f.weight"]), ("output_norm.bias", sd["ln_f.bias"]),
          ("output.weight", sd["wte.weight"])]  # GPT-2 ties the head to the embedding: stored twice here
    return t


def export_gguf(model, folder, path):
    cfg = model.cfg
    with open(os.path.join(folder, "encoder.json"), encoding="utf-8") as f:
        encoder = json.load(f)
    tokens = [None] * len(encoder)
    for s, i in encoder.items():
        tokens[i] = s
    if any(t is None for t in tokens) or len(tokens) != cfg["vocab_size"]:
        sys.exit("export_peers: encoder.json does not cover ids 0..%d" % (cfg["vocab_size"] - 1))
    with open(os.path.join(folder, "vocab.bpe"), encoding="utf-8") as f:
        merges = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#version")]
    eot = encoder["<|endoftext|>"]
    kvs = [
        gguf_kv("general.architecture", T_STRING, "gpt2"),
        gguf_kv("general.name", T_STRING, "glassbox-gpt2-peer"),
        gguf_kv("general.file_type", T_U32, 0),  # all f32
        gguf_kv("gpt2.context_length", T_U32, cfg["n_positions"]),
        gguf_kv("gpt2.embedding_length", T_U32, cfg["n_embd"]),
        gguf_kv("gpt2.feed_forward_length", T_U32, 4 * cfg["n_embd"]),
        gguf_kv("gpt2.block_count", T_U32, cfg["n_layer"]),
        gguf_kv("gpt2.attention.head_count", T_U32, cfg["n_head"]),
        gguf_kv("gpt2.attention.layer_norm_epsilon", T_F32, cfg.get("layer_norm_epsilon", 1e-5)),
        gguf_kv("tokenizer.ggml.model", T_STRING, "gpt2"),
        gguf_kv("tokenizer.ggml.pre", T_STRING, "gpt-2"),
        gguf_kv("tokenizer.ggml.tokens", T_ARRAY, tokens, T_STRING),
        gguf_kv("tokenizer.ggml.token_type", T_ARRAY, [3 if i == eot else 1 for i in range(len(tokens))], T_I32),
        gguf_kv("tokenizer.ggml.merges", T_ARRAY, merges, T_STRING),
        gguf_kv("tokenizer.ggml.bos_token_id", T_U32, eot),
        gguf_kv("tokenizer.ggml.eos_token_id", T_U32, eot),
    ]
    tensors = gguf_tensors(model)
    infos, offset = [], 0
    for name, t in tensors:
        dims = list(reversed(t.shape))  # GGUF lists the fastest-moving dimension first
        infos.append(gguf_string(name) + struct.pack("<I", len(dims)) + struct.pack("<%dQ" % len(dims), *dims)
                     + struct.pack("<IQ", 0, offset))  # type 0 = F32
        offset += (t.numel() * 4 + ALIGN - 1) // ALIGN * ALIGN
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs)))
        for kv in kvs:
            f.write(kv)
        for info in infos:
            f.write(info)
        f.write(b"\0" * (-f.tell() % ALIGN))
        for _, t in tensors:
            b = t.numpy().astype("<f4").tobytes()
            f.write(b)
            f.write(b"\0" * (-len(b) % ALIGN))
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    model = GPT.load(folder).eval()
    with torch.no_grad():
        export_onnx(model, os.path.join(folder, "model.onnx"))
        export_gguf(model, folder, os.path.join(folder, "model.gguf"))
    print("wrote", os.path.join(folder, "model.onnx"), "and", os.path.join(folder, "model.gguf"))


if __name__ == "__main__":
    main()
