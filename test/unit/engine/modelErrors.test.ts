/** Bad model folders and bad requests give typed EngineErrors that name the file to blame. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDecoderGraph, type GraphValueInfo } from '../../../src/engine/decoderGraph';
import { EngineError, type EngineErrorCode } from '../../../src/engine/errors';
import type { ModelConfig } from '../../../src/engine/modelFolder';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';
import { repoRoot, testThreads, wasmDir } from './testModels';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'tiny-gpt2', 'with-positions');

function copyFixture(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgc-bad-model-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  edit(dir);
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

async function loadError(dir: string, options: { maxModelBytes?: number } = {}): Promise<EngineError> {
  try {
    const engine = await TextGenerationEngine.load(new NodeModelFiles(dir), { threads: testThreads, wasmDir, warmUp: false, ...options });
    await engine.dispose();
  } catch (error) {
    assert.ok(error instanceof EngineError, `not an EngineError: ${error}`);
    return error;
  }
  assert.fail('the model loaded');
}

function assertError(error: EngineError, code: EngineErrorCode, file: string): void {
  assert.equal(error.code, code, error.message);
  assert.equal(error.file, file);
  assert.ok(error.message.includes(file), error.message);
}

describe('model folder errors', function () {
  this.timeout(60_000);
  const made: string[] = [];
  const bad = (edit: (dir: string) => void): string => {
    const dir = copyFixture(edit);
    made.push(dir);
    return dir;
  };
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('a missing folder names config.json', async () => {
    const dir = path.join(os.tmpdir(), 'lgc-no-such-model');
    assertError(await loadError(dir), 'missing-file', path.join(dir, 'config.json'));
  });

  it('corrupt JSON names the file', async () => {
    const dir = bad((d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{"model": '));
    assertError(await loadError(dir), 'corrupt-file', path.join(dir, 'tokenizer.json'));
  });

  it('a missing ONNX graph names the file expected', async () => {
    const dir = bad((d) => fs.rmSync(path.join(d, 'onnx', 'model.onnx')));
    const error = await loadError(dir);
    assert.equal(error.code, 'missing-file');
    assert.ok(error.message.includes(path.join(dir, 'onnx', 'model.onnx')), error.message);
  });

  it('a truncated ONNX graph is a corrupt file', async () => {
    const dir = bad((d) => {
      const file = path.join(d, 'onnx', 'model.onnx');
      fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 5000));
    });
    assertError(await loadError(dir), 'corrupt-file', path.join(dir, 'onnx', 'model.onnx'));
  });

  it('a graph that disagrees with config.json is unsupported', async () => {
    const dir = bad((d) => editJson(path.join(d, 'config.json'), (json) => (json.n_layer = 3)));
    assertError(await loadError(dir), 'unsupported-graph', path.join(dir, 'onnx', 'model.onnx'));
  });

  it('a tokenizer without an end-of-sequence token is refused', async () => {
    const dir = bad((d) => {
      editJson(path.join(d, 'config.json'), (json) => delete json.eos_token_id);
      editJson(path.join(d, 'generation_config.json'), (json) => delete json.eos_token_id);
      editJson(path.join(d, 'tokenizer_config.json'), (json) => (json.eos_token = null));
      editJson(path.join(d, 'tokenizer.json'), (json) => {
        json.added_tokens = (json.added_tokens as { content: string }[]).filter((token) => token.content !== '<|endoftext|>');
      });
    });
    assertError(await loadError(dir), 'tokenizer', path.join(dir, 'tokenizer_config.json'));
  });

  it('a tokenizer with more tokens than the model is refused', async () => {
    const dir = bad((d) =>
      editJson(path.join(d, 'tokenizer.json'), (json) => {
        (json.added_tokens as object[]).push({ id: 1500, content: '<|extra|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
      }),
    );
    const error = await loadError(dir);
    assertError(error, 'tokenizer', path.join(dir, 'tokenizer.json'));
    assert.ok(error.message.includes(path.join(dir, 'onnx', 'model.onnx')), error.message);
  });

  it('a tokenizer without FIM tokens loads, reports it, and refuses FIM prompts', async () => {
    const dir = bad((d) =>
      editJson(path.join(d, 'tokenizer.json'), (json) => {
        json.added_tokens = (json.added_tokens as { content: string }[]).filter((token) => !token.content.startsWith('<|fim'));
      }),
    );
    const engine = await TextGenerationEngine.load(new NodeModelFiles(dir), { threads: testThreads, wasmDir, warmUp: false });
    try {
      assert.deepEqual([...engine.info.specialTokens].sort(), ['endOfText', 'fileSeparator']);
      await assert.rejects(
        engine.generate([{ kind: 'special', token: 'fimPrefix' }], { maxNewTokens: 1, temperature: 0 }),
        (error: EngineError) => error.code === 'tokenizer' && error.file === path.join(dir, 'tokenizer.json'),
      );
    } finally {
      await engine.dispose();
    }
  });

  it('a model larger than the configured memory is refused before loading', async () => {
    assertError(await loadError(FIXTURE, { maxModelBytes: 10_000 }), 'model-too-large', path.join(FIXTURE, 'onnx', 'model.onnx'));
  });

  it('bad options and over-long prompts are typed request errors', async () => {
    const engine = await TextGenerationEngine.load(new NodeModelFiles(FIXTURE), { threads: testThreads, wasmDir, warmUp: false });
    try {
      const prompt = [{ kind: 'text', text: 'x' }] as const;
      await assert.rejects(engine.generate(prompt, { maxNewTokens: -1, temperature: 0 }), { code: 'invalid-request' });
      await assert.rejects(engine.generate(prompt, { maxNewTokens: 1, temperature: 1, topP: 0 }), { code: 'invalid-request' });
      const long = [{ kind: 'text', text: 'word '.repeat(400) }] as const;
      await assert.rejects(engine.generate(long, { maxNewTokens: 1, temperature: 0 }), { code: 'prompt-too-long' });
      const result = await engine.generate(prompt, { maxNewTokens: 4, temperature: 0 });
      assert.ok(result.generatedTokens <= 4, 'the engine still works after errors');
    } finally {
      await engine.dispose();
    }
  });
});

describe('decoder graph checks', () => {
  const config: ModelConfig = { modelType: 'llama', numLayers: 1, numKeyValueHeads: 2, headDim: 16, eosTokenIds: [0] };
  const past = (kind: string, heads: number | string = 2): GraphValueInfo => ({ name: `past_key_values.0.${kind}`, type: 'float32', shape: ['batch_size', heads, 'past_sequence_length', 16] });
  const inputs: GraphValueInfo[] = [{ name: 'input_ids' }, { name: 'attention_mask' }, { name: 'position_ids' }, past('key'), past('value')];
  const outputs: GraphValueInfo[] = [{ name: 'logits', shape: ['batch_size', 'sequence_length', 1024] }, { name: 'present.0.key' }, { name: 'present.0.value' }];
  const check = (i: GraphValueInfo[], o: GraphValueInfo[], c: ModelConfig = config) => () => readDecoderGraph(i, o, c, '/m/onnx/model.onnx');
  const unsupported = (pattern: RegExp) => (error: EngineError) => error.code === 'unsupported-graph' && error.file === '/m/onnx/model.onnx' && pattern.test(error.message);

  it('reads a Llama-style graph', () => {
    const graph = check(inputs, outputs)();
    assert.deepEqual([graph.hasAttentionMask, graph.hasPositionIds, graph.hasUseCacheBranch, graph.kvHeads, graph.headDim, graph.layers.length], [true, true, false, 2, 16, 1]);
  });

  it('refuses unexpected inputs, missing caches and mismatched shapes', () => {
    assert.throws(check([...inputs, { name: 'encoder_hidden_states' }], outputs), unsupported(/encoder_hidden_states/));
    assert.throws(check(inputs.slice(0, 3), outputs), unsupported(/past_key_values/));
    assert.throws(check(inputs, outputs.slice(0, 2)), unsupported(/present\.0\.value/));
    assert.throws(check([...inputs.slice(0, 3), past('key', 4), past('value', 4)], outputs), unsupported(/4 heads/));
    assert.throws(check([...inputs.slice(0, 3), { ...past('key'), type: 'float16' }, past('value')], outputs), unsupported(/float16/));
    assert.throws(check(inputs, [{ name: 'logits', shape: ['batch', 'vocab'] }, ...outputs.slice(1)]), unsupported(/logits/));
  });
});
