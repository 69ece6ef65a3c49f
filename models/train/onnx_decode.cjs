// Teacher-forced decoding of token windows through an exported model with onnxruntime-web (WASM),
// one token per step through the KV cache, as the extension's worker runs it.
// Usage: node models/train/onnx_decode.cjs MODEL_DIR WINDOWS_JSON model.onnx [model_quantized.onnx ...]
// Prints JSON {file: {argmax: [[...]], nll: [[...]]}} on stdout.
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-web');
const { KvDecoder, argmaxAt } = require('./onnx_kv.cjs');

ort.env.wasm.numThreads = 1;

function logSoftmaxAt(logits, offset, vocab, target) {
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i] - max);
  return logits[offset + target] - max - Math.log(sum);
}

async function decodeWindow(decoder, tokens) {
  let past = decoder.emptyPast();
  const argmax = [];
  const nll = [];
  for (let t = 0; t < tokens.length - 1; t++) {
    const step = await decoder.run([tokens[t]], t, past);
    argmax.push(argmaxAt(step.logits, step.offset, decoder.vocab));
    nll.push(-logSoftmaxAt(step.logits, step.offset, decoder.vocab, tokens[t + 1]));
    past = step.past;
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
    const decoder = new KvDecoder(session, config);
    for (const w of windows) perWindow.push(await decodeWindow(decoder, w));
    result[file] = { argmax: perWindow.map((r) => r.argmax), nll: perWindow.map((r) => r.nll) };
    await session.release();
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
