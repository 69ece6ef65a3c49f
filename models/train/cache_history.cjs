// Does a prompt's greedy continuation depend on what the KV cache held before it? For windows of
// held-out tokens, decodes STEPS tokens greedily after the window prefilled cold (256-token runs,
// as the engine's chunked prefill) and after the window prefilled in two runs split at a random
// token (a prompt partly served from the cache), and counts the windows whose continuations differ.
// Usage: node models/train/cache_history.cjs MODEL_DIR VAL_BIN [WINDOWS] [FILE ...]
//   FILE: onnx/ file names in MODEL_DIR (default model_quantized.onnx); VAL_BIN: uint16 tokens.
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-web');
const { KvDecoder, argmaxAt } = require('./onnx_kv.cjs');

ort.env.wasm.numThreads = 1;
const PROMPT_TOKENS = 400;
const STEPS = 16;
const CHUNK_TOKENS = 256;

/** Prefills `ids` in runs ending at `cuts`, then decodes STEPS tokens greedily; the tokens, joined. */
async function continuation(decoder, ids, cuts) {
  const greedy = (step) => argmaxAt(step.logits, step.offset, decoder.vocab);
  let past = decoder.emptyPast();
  let start = 0;
  let step;
  for (const end of [...cuts, ids.length]) {
    step = await decoder.run(ids.slice(start, end), start, past);
    past = step.past;
    start = end;
  }
  const tokens = [greedy(step)];
  while (tokens.length < STEPS) {
    step = await decoder.run([tokens[tokens.length - 1]], start++, past);
    past = step.past;
    tokens.push(greedy(step));
  }
  return tokens.join(',');
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
    const decoder = new KvDecoder(await ort.InferenceSession.create(path.join(modelDir, 'onnx', file), { executionProviders: ['wasm'] }), config);
    let differ = 0;
    let firstDiffers = 0;
    for (const { ids, split } of windows) {
      const cold = await continuation(decoder, ids, [CHUNK_TOKENS]);
      const warm = await continuation(decoder, ids, [split]);
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
