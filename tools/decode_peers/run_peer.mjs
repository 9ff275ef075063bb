// Greedy decoding with a peer engine, timed the way `glassbox bench transformer` times itself: the prompt,
// 4 untimed warm-up tokens, then N timed tokens, one at a time with a KV cache. Prints one JSON line:
// {"engine", "version", "threads", "tokens_per_s", "generated_ids"} (the warm-up ids first).
//
// usage: node tools/decode_peers/run_peer.mjs ort|llama FOLDER PROMPT_IDS(comma-separated) TOKENS THREADS
// The engines come from npm (installed with --ignore-scripts; the CPU binaries ship inside the packages):
// NODE_PATH points at the folder glassbox.sh installs them into (.cache/npm/peers/node_modules).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [engine, folder, promptArg, tokensArg, threadsArg] = process.argv.slice(2);
if (!engine || !folder || !promptArg) {
  console.error("usage: node run_peer.mjs ort|llama FOLDER PROMPT_IDS TOKENS THREADS");
  process.exit(2);
}
const prompt = promptArg.split(",").map(Number);
const tokens = Number(tokensArg || 64);
const threads = Number(threadsArg || 2);
const WARMUP = 4;
const modules = path.join(process.env.PEERS_DIR || process.cwd(), "node_modules");
const require = createRequire(path.join(modules, "x.js"));
const versionOf = (pkg) => JSON.parse(fs.readFileSync(path.join(modules, pkg, "package.json"), "utf8")).version;
const now = () => Number(process.hrtime.bigint()) / 1e9;
const argmax = (a, off, n) => {
  let best = 0;
  for (let i = 1; i < n; ++i) if (a[off + i] > a[off + best]) best = i;
  return best;
};

async function runOrt() {
  const ort = require("onnxruntime-node");
  const version = versionOf("onnxruntime-node");
  const session = await ort.InferenceSession.create(path.join(folder, "model.onnx"), {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all",
  });
  const cfg = JSON.parse(fs.readFileSync(path.join(folder, "config.json"), "utf8"));
  const L = cfg.n_layer, H = cfg.n_head, hs = cfg.n_embd / cfg.n_head, V = cfg.vocab_size;
  let pk = new ort.Tensor("float32", new Float32Array(0), [L, H, 0, hs]);
  let pv = new ort.Tensor("float32", new Float32Array(0), [L, H, 0, hs]);
  let pos = 0, logits = null;
  const step = async (id) => {
    const out = await session.run({
      ids: new ort.Tensor("int64", BigInt64Array.from([BigInt(id)]), [1]),
      pos: new ort.Tensor("int64", BigInt64Array.from([BigInt(pos)]), [1]),
      past_k: pk, past_v: pv,
    });
    pos += 1;
    pk = out.present_k;
    pv = out.present_v;
    logits = out.logits.data;
  };
  for (const id of prompt) await step(id);
  const generated = [];
  let t0 = 0;
  for (let i = 0; i < WARMUP + tokens; ++i) {
    if (i === WARMUP) t0 = now();
    const next = argmax(logits, 0, V);
    generated.push(next);
    await step(next);
  }
  return { engine: "ONNX Runtime", version, tokens_per_s: tokens / (now() - t0), generated_ids: generated };
}

async function runLlama() {
  const { getLlama, LlamaLogLevel } = await import(require.resolve("node-llama-cpp"));
  const version = versionOf("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path.join(folder, "model.gguf"), gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 256, threads, batchSize: 64, sequences: 1 });
  const seq = context.getSequence();
  const generated = [];
  let t0 = 0;
  const it = seq.evaluate(prompt, { temperature: 0 });  // temperature 0: greedy
  for await (const token of it) {
    generated.push(Number(token));
    if (generated.length === WARMUP) t0 = now();
    if (generated.length >= WARMUP + tokens) break;
  }
  const t1 = now();
  // The generator yields a token once it is chosen; the decode of the last one is not in the time, so count
  // the decodes inside the window: tokens − 1 steps between the 4th and the last yielded token, plus one.
  const tps = (tokens - 1) / (t1 - t0);
  await context.dispose();
  await model.dispose();
  return { engine: "llama.cpp (node-llama-cpp)", version, tokens_per_s: tps, generated_ids: generated };
}

const result = engine === "ort" ? await runOrt() : engine === "llama" ? await runLlama() : null;
if (!result) {
  console.error("engine must be ort or llama");
  process.exit(2);
}
result.threads = threads;
console.log(JSON.stringify(result));
process.exit(0);
