import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelFolderSegments, readModelSnapshot } from '../../../src/web/host/modelSnapshot';
import { MemoryModelFiles } from '../../../src/web/worker/memoryModelFiles';
import { chooseExecutionProviders } from '../../../src/web/webGpuBackend';
import type { Gpu, GpuAdapter } from '../../../src/web/browserGlobals';

const root = path.resolve(__dirname, '../../../..');
const fixture = path.join(root, 'models', 'lgc-fixture');

function gpuWith(adapter: GpuAdapter | null | Error): Gpu {
  return {
    requestAdapter: async () => {
      if (adapter instanceof Error) throw adapter;
      return adapter;
    },
  };
}

const swiftShader: GpuAdapter = { info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } };

describe('web backend choice', () => {
  it('auto: WebGPU then WASM when navigator.gpu yields an adapter, naming it', async () => {
    assert.deepEqual(await chooseExecutionProviders('auto', gpuWith(swiftShader)), {
      providers: ['webgpu', 'wasm'],
      detail: 'WebGPU adapter: google swiftshader (software fallback adapter)',
    });
  });

  it('auto: WASM, with the reason, without navigator.gpu, without an adapter or when the request fails', async () => {
    assert.deepEqual(await chooseExecutionProviders('auto', undefined), {
      providers: ['wasm'],
      detail: 'WASM: this browser exposes no WebGPU (navigator.gpu is missing)',
    });
    assert.deepEqual((await chooseExecutionProviders('auto', gpuWith(null))).providers, ['wasm']);
    assert.match((await chooseExecutionProviders('auto', gpuWith(new Error('device lost')))).detail ?? '', /requestAdapter\(\) failed: device lost/);
  });

  it('webgpu: no WASM fallback, and an error saying why when there is no adapter', async () => {
    assert.deepEqual((await chooseExecutionProviders('webgpu', gpuWith(swiftShader))).providers, ['webgpu']);
    await assert.rejects(chooseExecutionProviders('webgpu', gpuWith(null)), /"webgpu", but navigator.gpu has no adapter/);
  });

  it('wasm: never asks for an adapter', async () => {
    const gpu: Gpu = { requestAdapter: () => Promise.reject(new Error('must not be called')) };
    assert.deepEqual(await chooseExecutionProviders('wasm', gpu), { providers: ['wasm'] });
  });
});

describe('web model folder', () => {
  it('is the bundled model by default, or a folder inside the extension', () => {
    assert.deepEqual(modelFolderSegments(''), { segments: ['models', 'lgc-small'] });
    assert.deepEqual(modelFolderSegments('models/lgc-fixture/'), { segments: ['models', 'lgc-fixture'] });
    assert.deepEqual(modelFolderSegments('./models\\lgc-fixture'), { segments: ['models', 'lgc-fixture'] });
  });

  it('refuses anything that leaves the extension', () => {
    for (const outside of ['/home/me/model', '../other-extension/models', 'models/../../x', 'https://example.com/model', 'C:\\models', 'file:///tmp/m']) {
      assert.ok('problem' in modelFolderSegments(outside), outside);
    }
  });

  it('snapshots exactly the files the engine reads, and the worker reads the same model from it', async () => {
    const requested: string[] = [];
    const read = async (relativePath: string) => {
      requested.push(relativePath);
      const file = path.join(fixture, relativePath);
      return fs.existsSync(file) ? new Uint8Array(fs.readFileSync(file)) : undefined;
    };
    const snapshot = await readModelSnapshot('https://host/ext/models/lgc-fixture', read);
    assert.deepEqual(Object.keys(snapshot.files).sort(), ['config.json', 'generation_config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    assert.equal(new Set(requested).size, requested.length, 'each file is read once');
    const files = new MemoryModelFiles('https://host/ext/models/lgc-fixture', snapshot.files);
    assert.equal(files.modelId, 'lgc-fixture');
    assert.equal(await files.size('onnx/model.onnx'), undefined);
    assert.equal(await files.size('onnx/model_quantized.onnx'), fs.statSync(path.join(fixture, 'onnx', 'model_quantized.onnx')).size);
    await assert.rejects(files.readText('missing.json'), /Model file not found: https:\/\/host\/ext\/models\/lgc-fixture\/missing.json/);
  });
});

describe('web build outputs', () => {
  it('has the browser entry, its two worker builds and the WebGPU build\'s runtime file', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.browser, './dist/web/extension.js');
    const web = fs.readdirSync(path.join(root, 'dist', 'web')).filter((file) => !file.endsWith('.map'));
    assert.deepEqual(web.sort(), ['extension.js', 'ort-wasm-simd-threaded.asyncify.wasm', 'worker-wasm.js', 'worker.js']);
    assert.ok(fs.existsSync(path.join(root, 'dist', 'ort-wasm-simd-threaded.wasm')), 'the WASM worker shares the Node build\'s .wasm');
  });

  it('bundles no onnxruntime into the extension host side, and no URL derived from the worker script', () => {
    const extension = fs.readFileSync(path.join(root, 'dist', 'web', 'extension.js'), 'utf8');
    assert.ok(!extension.includes('InferenceSession'), 'onnxruntime runs in the worker only');
    for (const [bundle, runtime] of [['worker.js', 'ort-wasm-simd-threaded.asyncify.wasm'], ['worker-wasm.js', 'ort-wasm-simd-threaded.wasm']]) {
      const worker = fs.readFileSync(path.join(root, 'dist', 'web', bundle), 'utf8');
      assert.ok(worker.includes('InferenceSession'), bundle);
      assert.ok(worker.includes(runtime), `${bundle} is the build that loads ${runtime}`);
      assert.ok(!worker.includes('import.meta'), 'the blob: worker cannot resolve files next to itself');
    }
  });
});
