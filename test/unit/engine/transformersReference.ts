/**
 * Greedy reference tokens from transformers.js, computed in a child process that loads nothing
 * but transformers.js, so it runs on its own Node backend (native onnxruntime-node). In one
 * process with onnxruntime-web loaded first, onnxruntime-web would also serve transformers.js's
 * "cpu" backend (they share onnxruntime-common's registry) and the reference would not be
 * independent of the runtime under test.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './testModels';

export interface ReferenceRequest {
  readonly modelDir: string;
  readonly dtype: 'q8' | 'fp32';
  readonly prompts: readonly (readonly number[])[];
  readonly newTokens: number;
  /** Texts to tokenize with transformers.js's tokenizer (no special tokens added). */
  readonly texts: readonly string[];
}

export interface ReferenceAnswer {
  /** Generated ids per prompt (prompt excluded, up to newTokens, EOS included if generated). */
  readonly tokens: number[][];
  /** transformers.js token ids of each text. */
  readonly encoded: number[][];
  /** Which onnxruntime served transformers.js ('node' expected). */
  readonly backend: string;
}

const CHILD = `
const { AutoModelForCausalLM, AutoTokenizer, Tensor, env } = require('@huggingface/transformers');
const request = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = request.parent;
(async () => {
  const model = await AutoModelForCausalLM.from_pretrained(request.name, { dtype: request.dtype, device: 'cpu' });
  const tokens = [];
  for (const prompt of request.prompts) {
    const ids = BigInt64Array.from(prompt, BigInt);
    const output = await model.generate({
      input_ids: new Tensor('int64', ids, [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      max_new_tokens: request.newTokens,
      do_sample: false,
    });
    tokens.push(output.tolist()[0].slice(prompt.length).map(Number));
  }
  const tokenizer = await AutoTokenizer.from_pretrained(request.name);
  const encoded = request.texts.map((text) => tokenizer(text, { add_special_tokens: false }).input_ids.tolist()[0].map(Number));
  const backend = Object.keys(require.cache).some((file) => file.includes('onnxruntime-node')) ? 'node' : 'other';
  await model.dispose();
  process.stdout.write(JSON.stringify({ tokens, encoded, backend }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

export function transformersReference(request: ReferenceRequest): ReferenceAnswer {
  const input = JSON.stringify({
    parent: path.dirname(request.modelDir) + path.sep,
    name: path.basename(request.modelDir),
    dtype: request.dtype,
    prompts: request.prompts,
    newTokens: request.newTokens,
    texts: request.texts,
  });
  const output = execFileSync(process.execPath, ['-e', CHILD], { cwd: repoRoot, input, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(output) as ReferenceAnswer;
}
