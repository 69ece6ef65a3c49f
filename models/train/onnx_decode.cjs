// Teacher-forced decoding of token windows through an exported model with onnxruntime-web (WASM),
// one token per step through the KV cache, as the extension's worker runs it.
// Usage: node models/train/onnx_decode.cjs MODEL_DIR WINDOWS_JSON model.onnx [model_quantized.onnx ...]
// Prints JSON {file: {argmax: [[...]], nll: [[...]]}} on stdout.
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-web');

ort.env.wasm.numThreads = 1;

function logSoftmaxAt(logits, offset, vocab, target) {
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i] - max);
  return logits[offset + target] - max - Math.log(sum);
}

function argmaxAt(logits, offset, vocab) {
  let best = 0;
  for (let i = 1; i < vocab; i++) if (logits[offset + i] > logits[offset + best]) best = i;
  return best;
}

async function decodeWindow(session, config, tokens) {
  const layers = config.num_hidden_layers;
  const kvHeads = config.num_key_value_heads;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  const vocab = config.vocab_size;
  let past = {};
  for (let i = 0; i < layers; i++) {
    for (const kv of ['key', 'value']) {
      past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
  }
  const argmax = [];
  const nll = [];
  for (let t = 0; t < tokens.length - 1; t++) {
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(tokens[t])]), [1, 1]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(t + 1).fill(1n), [1, t + 1]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(t)]), [1, 1]),
      ...past,
    };
    const out = await session.run(feeds);
    const logits = out.logits.data;
    const offset = logits.length - vocab;
    argmax.push(argmaxAt(logits, offset, vocab));
    nll.push(-logSoftmaxAt(logits, offset, vocab, tokens[t + 1]));
    past = {};
    for (let i = 0; i < layers; i++) {
      for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = out[`present.${i}.${kv}`];
    }
  }
  return { argmax, nll };
}

async function main() {
  const [modelDir, windowsPath, ...files] = process.argv.slice(2);
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  const windows = JSON.parse(fs.readFileSync(windowsPath, 'utf8')).windows;
  const result = {};
  for (const file of files) {
    const session = await ort.InferenceSession.create(path.join(modelDir, 'onnx', file), { executionProviders: ['wasm'] });
    const perWindow = [];
    for (const w of windows) perWindow.push(await decodeWindow(session, config, w));
    result[file] = { argmax: perWindow.map((r) => r.argmax), nll: perWindow.map((r) => r.nll) };
    await session.release();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
