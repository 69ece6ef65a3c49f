/**
 * Benchmark (not a test): load time and decode speed of the browser worker (dist/web/worker.js)
 * on WebGPU and on WASM, in headless Chromium with --enable-unsafe-webgpu (SwiftShader on a
 * machine without a GPU). The page is served from 127.0.0.1 (WebGPU needs a secure context) and
 * starts the same worker bundle the web extension starts, with the same load message.
 *   npm run bench:web -- [--model models/lgc-fixture] [--dtype auto|q8|fp32] [--rounds 3] [--tokens 64]
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../runner/workbench';
import type { ModelDtype } from '../../src/engine/modelFolder';
import { readModelSnapshot } from '../../src/web/host/modelSnapshot';

const root = path.resolve(__dirname, '..', '..', '..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const modelFolder = option('model', 'models/lgc-fixture');
const dtype = option('dtype', 'auto') as ModelDtype;
const rounds = Number(option('rounds', '3'));
const maxNewTokens = Number(option('tokens', '64'));
const PROMPT = 'export function parseArguments(argv: string[]): Record<string, string> {\n  const result: Record<string, string> = {};\n  for (let index = 0; index < argv.length; index++) {\n';

/** Runs in the page: one fresh worker per round and backend; the numbers come back as JSON. */
const PAGE_SCRIPT = `async ({ backend, dtype, files, maxNewTokens, prompt }) => {
  const fetchBytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const modelFiles = {};
  for (const file of files) modelFiles[file] = await fetchBytes('/model/' + file);
  // The two builds the extension starts: WebGPU (asyncify runtime) and plain WASM.
  const webgpu = backend === 'webgpu';
  const wasmBinary = await fetchBytes(webgpu ? '/dist/web/ort-wasm-simd-threaded.asyncify.wasm' : '/dist/ort-wasm-simd-threaded.wasm');
  const worker = new Worker(webgpu ? '/dist/web/worker.js' : '/dist/web/worker-wasm.js');
  const replies = {};
  const waitFor = (requestId) => new Promise((resolve) => (replies[requestId] = resolve));
  const final = ['loaded', 'generated', 'failed'];
  worker.onmessage = (event) => final.includes(event.data.type) && replies[event.data.requestId]?.(event.data);
  const started = performance.now();
  worker.postMessage({ type: 'load', requestId: 1, config: { modelDir: 'bench', modelFiles, wasmBinary, backend, dtype, threads: 1, warmUp: false } });
  const loaded = await waitFor(1);
  if (loaded.type !== 'loaded') throw new Error(JSON.stringify(loaded.error));
  const loadMs = performance.now() - started;
  const generate = async (requestId, options) => {
    const begin = performance.now();
    worker.postMessage({ type: 'generate', requestId, prompt: [{ kind: 'text', text: prompt }], options });
    const reply = await waitFor(requestId);
    if (reply.type !== 'generated') throw new Error(JSON.stringify(reply.error));
    return { ms: performance.now() - begin, result: reply.result };
  };
  const first = await generate(2, { maxNewTokens: 1, temperature: 0, useNgramCache: false });
  const warm = await generate(3, { maxNewTokens: 1, temperature: 0, useNgramCache: false });
  const long = await generate(4, { maxNewTokens, temperature: 0, minNewTokens: maxNewTokens, useNgramCache: false });
  worker.terminate();
  const decodeTokens = long.result.generatedTokens - 1;
  return {
    backend: loaded.info.backend,
    detail: loaded.info.backendDetail ?? '',
    loadMs,
    promptTokens: first.result.promptTokens,
    coldPrefillMs: first.ms,
    cachedPromptMs: warm.ms,
    generatedTokens: long.result.generatedTokens,
    decodeTokensPerSecond: decodeTokens > 0 ? decodeTokens / ((long.ms - warm.ms) / 1000) : 0,
  };
}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const folder = path.resolve(root, modelFolder);
  const snapshot = await readModelSnapshot(folder, async (relativePath) => {
    const file = path.join(folder, relativePath);
    return fs.existsSync(file) ? new Uint8Array(fs.readFileSync(file)) : undefined;
  }, dtype);
  const server = http.createServer((request, response) => {
    const requested = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = requested.startsWith('/model/') ? path.resolve(folder, requested.slice('/model/'.length)) : path.resolve(root, requested.slice(1));
    const served = file.startsWith(path.join(root, 'dist') + path.sep) || file.startsWith(folder + path.sep);
    if (!served || !fs.existsSync(file)) {
      response.writeHead(request.url === '/' ? 200 : 404, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title>');
      return;
    }
    response.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const onnxFile = Object.keys(snapshot.files).find((file) => file.endsWith('.onnx'));
    console.log(`model ${modelFolder}/${onnxFile} (${(snapshot.weightBytes / 1e6).toFixed(2)} MB), ${rounds} rounds, ${maxNewTokens} new tokens, 1 WASM thread`);
    for (const backend of ['webgpu', 'wasm'] as const) {
      const runs: Array<Record<string, number | string>> = [];
      for (let round = 0; round < rounds; round++) {
        runs.push(await page.evaluate(`(${PAGE_SCRIPT})(${JSON.stringify({ backend, dtype, files: Object.keys(snapshot.files), maxNewTokens, prompt: PROMPT })})`));
      }
      const numbers = (key: string) => median(runs.map((run) => Number(run[key])));
      console.log(
        `${String(runs[0].backend).padEnd(6)} load ${numbers('loadMs').toFixed(0)} ms | prefill ${numbers('promptTokens')} tokens ${numbers('coldPrefillMs').toFixed(0)} ms ` +
          `| same prompt again (KV cache hit) ${numbers('cachedPromptMs').toFixed(0)} ms | decode ${numbers('decodeTokensPerSecond').toFixed(1)} tokens/s (medians) | ${runs[0].detail}`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
