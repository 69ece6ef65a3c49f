/**
 * Greedy generations of this engine (onnxruntime-web WASM) are identical token for token to
 * transformers.js (its own ONNX backend in Node) on the same local model folder, on every prompt.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';
import { CODE_PROMPTS, gpt2Fixtures, projectModels, testThreads, wasmDir, type TestModel } from './testModels';

const NEW_TOKENS = 24;

interface TransformersJs {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  AutoModelForCausalLM: {
    from_pretrained(name: string, options: object): Promise<{ generate(inputs: object): Promise<{ tolist(): bigint[][] }>; dispose(): Promise<void> }>;
  };
  AutoTokenizer: { from_pretrained(name: string): Promise<(text: string, options: object) => { input_ids: { tolist(): bigint[][] } }> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
}

async function loadTransformers(model: TestModel) {
  const transformers = require('@huggingface/transformers') as TransformersJs;
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = path.dirname(model.dir) + path.sep;
  const name = path.basename(model.dir);
  const reference = await transformers.AutoModelForCausalLM.from_pretrained(name, { dtype: model.dtype, device: 'cpu' });
  const tokenizer = await transformers.AutoTokenizer.from_pretrained(name);
  return { transformers, reference, tokenizer };
}

for (const model of [...projectModels(), ...gpt2Fixtures()]) {
  describe(`greedy parity with transformers.js: ${model.name}`, function () {
    this.timeout(300_000);
    let engine: TextGenerationEngine;
    let reference: Awaited<ReturnType<typeof loadTransformers>>;

    before(async () => {
      engine = await TextGenerationEngine.load(new NodeModelFiles(model.dir), { threads: testThreads, wasmDir, dtype: model.dtype });
      reference = await loadTransformers(model);
    });

    after(async () => {
      await engine?.dispose();
      await reference?.reference.dispose();
    });

    it('tokenizes every prompt like transformers.js', () => {
      for (const prompt of CODE_PROMPTS) {
        const expected = reference.tokenizer(prompt, { add_special_tokens: false }).input_ids.tolist()[0].map(Number);
        assert.deepEqual(engine.tokenizer.encodeText(prompt), expected, JSON.stringify(prompt));
      }
    });

    it(`generates the same ${NEW_TOKENS} greedy tokens on ${CODE_PROMPTS.length} prompts`, async () => {
      const stopIds = new Set([...engine.tokenizer.specialIds]);
      let compared = 0;
      for (const prompt of CODE_PROMPTS) {
        const promptIds = engine.encodePrompt([{ kind: 'text', text: prompt }]);
        await engine.resetCache();
        const ours: number[] = [];
        const result = await engine.generateFromIds(promptIds, { maxNewTokens: NEW_TOKENS, temperature: 0 }, { onToken: (token) => ours.push(token) });
        const theirs = await referenceTokens(promptIds);
        const stopAt = theirs.findIndex((token) => stopIds.has(token));
        const expected = stopAt < 0 ? theirs : theirs.slice(0, stopAt);
        assert.deepEqual(ours, expected, `prompt ${JSON.stringify(prompt)}`);
        assert.equal(result.stopReason, stopAt < 0 ? 'max-tokens' : 'eos');
        compared += ours.length;
      }
      assert.ok(compared >= CODE_PROMPTS.length, 'compared some tokens');
      if (process.env.LGC_TEST_VERBOSE) console.log(`      compared ${compared} tokens`);
    });

    it('generates the same tokens after a FIM prompt built from special-token parts', async () => {
      const roles = engine.info.specialTokens;
      if (!roles.includes('fimPrefix') || !roles.includes('fimSuffix') || !roles.includes('fimMiddle')) return;
      for (const [prefix, suffix] of [
        ['function add(a, b) {\n  ', '\n}\n'],
        ['const items = [', '];\n'],
        ['def square(x):\n    return ', '\n\nprint(square(3))\n'],
      ]) {
        const promptIds = engine.encodePrompt([
          { kind: 'special', token: 'fimPrefix' },
          { kind: 'text', text: prefix },
          { kind: 'special', token: 'fimSuffix' },
          { kind: 'text', text: suffix },
          { kind: 'special', token: 'fimMiddle' },
        ]);
        await engine.resetCache();
        const ours: number[] = [];
        await engine.generateFromIds(promptIds, { maxNewTokens: NEW_TOKENS, temperature: 0 }, { onToken: (token) => ours.push(token) });
        const theirs = await referenceTokens(promptIds);
        const stopAt = theirs.findIndex((token) => engine.tokenizer.specialIds.has(token));
        assert.deepEqual(ours, stopAt < 0 ? theirs : theirs.slice(0, stopAt));
      }
    });

    async function referenceTokens(promptIds: readonly number[]): Promise<number[]> {
      const { Tensor } = reference.transformers;
      const ids = BigInt64Array.from(promptIds, BigInt);
      const output = await reference.reference.generate({
        input_ids: new Tensor('int64', ids, [1, ids.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        max_new_tokens: NEW_TOKENS,
        do_sample: false,
      });
      return output.tolist()[0].slice(promptIds.length).map(Number);
    }
  });
}
