/**
 * Greedy generations of this engine (onnxruntime-web WASM) are identical token for token to
 * transformers.js on native onnxruntime-node (in a child process) on the same local model folder,
 * on every prompt; and the tokenizer gives the same ids.
 */
import * as assert from 'node:assert/strict';
import type { PromptPart } from '../../../src/core/engine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';
import { CODE_PROMPTS, gpt2Fixtures, projectModels, testThreads, wasmDir } from './testModels';
import { transformersReference, type ReferenceAnswer } from './transformersReference';

const NEW_TOKENS = 24;
const FIM_CASES: readonly [string, string][] = [
  ['function add(a, b) {\n  ', '\n}\n'],
  ['const items = [', '];\n'],
  ['def square(x):\n    return ', '\n\nprint(square(3))\n'],
];

for (const model of [...projectModels(), ...gpt2Fixtures()]) {
  describe(`greedy parity with transformers.js: ${model.name}`, function () {
    this.timeout(300_000);
    let engine: TextGenerationEngine;
    let prompts: PromptPart[][];
    let reference: ReferenceAnswer;

    before(async () => {
      engine = await TextGenerationEngine.load(new NodeModelFiles(model.dir), { threads: testThreads, wasmDir, dtype: model.dtype });
      prompts = CODE_PROMPTS.map((text) => [{ kind: 'text', text }]);
      const roles = engine.info.specialTokens;
      if (roles.includes('fimPrefix') && roles.includes('fimSuffix') && roles.includes('fimMiddle')) {
        for (const [prefix, suffix] of FIM_CASES) {
          prompts.push([
            { kind: 'special', token: 'fimPrefix' },
            { kind: 'text', text: prefix },
            { kind: 'special', token: 'fimSuffix' },
            { kind: 'text', text: suffix },
            { kind: 'special', token: 'fimMiddle' },
          ]);
        }
      }
      reference = transformersReference({
        modelDir: model.dir,
        dtype: model.dtype,
        prompts: prompts.map((prompt) => engine.encodePrompt(prompt)),
        newTokens: NEW_TOKENS,
        texts: CODE_PROMPTS,
      });
    });

    after(() => engine?.dispose());

    it('the reference ran on native onnxruntime-node', () => {
      assert.equal(reference.backend, 'node');
    });

    it('tokenizes every prompt like transformers.js', () => {
      CODE_PROMPTS.forEach((prompt, index) => {
        assert.deepEqual(engine.tokenizer.encodeText(prompt), reference.encoded[index], JSON.stringify(prompt));
      });
    });

    it(`generates the same ${NEW_TOKENS} greedy tokens on ${CODE_PROMPTS.length} code prompts and the FIM prompts`, async () => {
      let compared = 0;
      for (const [index, prompt] of prompts.entries()) {
        await engine.resetCache();
        const ours: number[] = [];
        const result = await engine.generateFromIds(engine.encodePrompt(prompt), { maxNewTokens: NEW_TOKENS, temperature: 0 }, { onToken: (token) => ours.push(token) });
        // This engine stops at EOS and at any special token; transformers.js only at EOS.
        const theirs = reference.tokens[index];
        const stopAt = theirs.findIndex((token) => engine.tokenizer.specialIds.has(token));
        assert.deepEqual(ours, stopAt < 0 ? theirs : theirs.slice(0, stopAt), `prompt ${JSON.stringify(prompt)}`);
        assert.equal(result.stopReason, stopAt < 0 ? 'max-tokens' : 'eos');
        compared += ours.length;
      }
      assert.ok(compared >= prompts.length, 'compared some tokens');
      if (process.env.LGC_TEST_VERBOSE) console.log(`      compared ${compared} tokens on ${prompts.length} prompts`);
    });
  });
}
