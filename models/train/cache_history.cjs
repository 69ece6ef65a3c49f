// Does a prompt's greedy continuation depend on what the KV cache held before it? For windows of
// held-out tokens, decodes STEPS tokens greedily after the window prefilled cold (256-token runs,
// as the engine's chunked prefill) and after the window prefilled in two runs split at a random
// token (a prompt partly served from the cache), and counts the windows whose continuations differ.
// Usage: node models/train/cache_history.cjs MODEL_DIR VAL_BIN [WINDOWS] [FILE ...]
//   FILE: onnx/ file names in MODEL_DIR (default model_quantized.onnx); VAL_BIN: uint16 tokens.
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-web');

ort.env.wasm.numThreads = 1;
const PROMPT_TOKENS = 400;
const STEPS = 16;
const CHUNK_TOKENS = 256;

function int64(values, dims) {
  return new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
}

class Decoder {
  constructor(session, config) {
    this.session = session;
    this.layers = config.num_hidden_layers;
    this.kvHeads = config.num_key_value_heads;
    this.headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
    this.vocab = config.vocab_size;
  }

  emptyPast() {
    const past = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, this.kvHeads, 0, this.headDim]);
    }
    return past;
  }

  /** Runs `ids` after `start` cached tokens; returns the greedy next token and the new cache. */
  async run(ids, start, past) {
    const out = await this.session.run({
      input_ids: int64(ids, [1, ids.length]),
      attention_mask: int64(new Array(start + ids.length).fill(1), [1, start + ids.length]),
      position_ids: int64(ids.map((_, j) => start + j), [1, ids.length]),
      ...past,
    });
    const next = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kv of ['key', 'value']) next[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
    }
    const logits = out.logits.data;
    const offset = logits.length - this.vocab;
    let best = 0;
    for (let i = 1; i < this.vocab; i++) if (logits[offset + i] > logits[offset + best]) best = i;
    return { token: best, past: next };
  }

  /** Prefills `ids` in runs ending at `cuts`, then decodes STEPS tokens greedily. */
  async continuation(ids, cuts) {
    let past = this.emptyPast();
    let start = 0;
    let step;
    for (const end of [...cuts, ids.length]) {
      step = await this.run(ids.slice(start, end), start, past);
      past = step.past;
      start = end;
    }
    const tokens = [step.token];
    while (tokens.length < STEPS) {
      step = await this.run([tokens[tokens.length - 1]], start++, past);
      past = step.past;
      tokens.push(step.token);
    }
    return tokens.join(',');
  }
}

/** Fixed windows and split points (a seeded LCG), so every file sees the same prompts. */
function windowsOf(tokens, count) {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => {
    const at = Math.floor(random() * (tokens.length - PROMPT_TOKENS));
    return { ids: Array.from(tokens.slice(at, at + PROMPT_TOKENS)), split: 1 + Math.floor(random() * (PROMPT_TOKENS - 2)) };
  });
}

async function main() {
  const [modelDir, valBin, count = '150', ...files] = process.argv.slice(2);
  if (!modelDir || !valBin) throw new Error('usage: node models/train/cache_history.cjs MODEL_DIR VAL_BIN [WINDOWS] [FILE ...]');
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  const bytes = fs.readFileSync(valBin);
  const windows = windowsOf(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), Number(count));
  for (const file of files.length > 0 ? files : ['model_quantized.onnx']) {
    const decoder = new Decoder(await ort.InferenceSession.create(path.join(modelDir, 'onnx', file), { executionProviders: ['wasm'] }), config);
    let differ = 0;
    let firstDiffers = 0;
    for (const { ids, split } of windows) {
      const cold = await decoder.continuation(ids, [CHUNK_TOKENS]);
      const warm = await decoder.continuation(ids, [split]);
      differ += cold !== warm ? 1 : 0;
      firstDiffers += cold.split(',')[0] !== warm.split(',')[0] ? 1 : 0;
    }
    console.log(`${file}: ${differ}/${windows.length} greedy ${STEPS}-token continuations differ between a cold and a warm cache (first token: ${firstDiffers})`);
    await decoder.session.release();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
