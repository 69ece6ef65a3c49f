import * as assert from './assert';
import type { WorkerEngineClient } from '../../../src/client/workerEngineClient';
import type { GenerateResult } from '../../../src/core/engine';
import { activatedApi, FIXTURE_MODEL, scenario } from './webTestSupport';

const FIXTURE_SEGMENTS = FIXTURE_MODEL.split('/');
const PROMPTS = [
  'export function sum(values: number[]): number {\n  let total = 0;\n',
  'import * as fs from "fs";\n\nfunction readConfig(path) {\n',
  'class Stack {\n  constructor() {\n    this.items = [];\n  }\n\n  push(item) {\n',
];

/** What each prompt decoded to; the engine's timings differ by backend and are left out. */
async function greedy(engine: WorkerEngineClient): Promise<Omit<GenerateResult, 'timings'>[]> {
  const results: Omit<GenerateResult, 'timings'>[] = [];
  for (const text of PROMPTS) {
    const { timings: _timings, ...decoded } = await engine.generate([{ kind: 'text', text }], { maxNewTokens: 24, temperature: 0, useNgramCache: false });
    results.push(decoded);
  }
  return results;
}

/** The execution providers themselves, on their own workers next to the extension's. */
describe('WebGPU and WASM execution providers', function () {
  this.timeout(300_000);

  it('WebGPU (SwiftShader here) decodes the same greedy tokens as WASM', async function () {
    if ((await scenario()).expectedBackend !== 'webgpu') {
      this.skip(); // this browser has no WebGPU adapter: the WASM-only run checks the fallback instead
    }
    const api = await activatedApi();
    const webgpu = await api.models.startEngine(FIXTURE_SEGMENTS, 'webgpu');
    const wasm = await api.models.startEngine(FIXTURE_SEGMENTS, 'wasm');
    try {
      assert.equal((await webgpu.modelInfo()).backend, 'webgpu');
      assert.equal((await wasm.modelInfo()).backend, 'wasm');
      const [onGpu, onCpu] = [await greedy(webgpu), await greedy(wasm)];
      assert.ok(onCpu.filter((result) => result.generatedTokens > 0).length >= 2, `the model generates: ${JSON.stringify(onCpu)}`);
      assert.deepEqual(onGpu, onCpu);
    } finally {
      await Promise.all([webgpu.dispose(), wasm.dispose()]);
    }
  });

  it('without a WebGPU adapter, "auto" runs on WASM and "webgpu" fails saying why', async function () {
    if ((await scenario()).expectedBackend !== 'wasm') {
      this.skip(); // this browser has a WebGPU adapter: the WebGPU run compares the backends instead
    }
    const api = await activatedApi();
    const auto = await api.models.startEngine(FIXTURE_SEGMENTS, 'auto');
    const forced = await api.models.startEngine(FIXTURE_SEGMENTS, 'webgpu');
    try {
      assert.equal((await auto.modelInfo()).backend, 'wasm');
      await assert.rejects(forced.modelInfo(), /"webgpu".*(no WebGPU|no adapter)/);
    } finally {
      await Promise.all([auto.dispose(), forced.dispose()]);
    }
  });
});
