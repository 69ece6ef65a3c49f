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
  /** The engine's own greedy tokens per prompt, to weigh where they first differ. */
  readonly candidates: readonly (readonly number[])[];
  /** Per prompt: whether the engine stopped after its candidate on a special token (not on the limit). */
  readonly stoppedOnSpecial: readonly boolean[];
  /** The special token ids the engine stops on. */
  readonly specialIds: readonly number[];
}

/** Where the engine's greedy tokens first differ from the reference's, seen by the reference. */
export interface Divergence {
  readonly index: number;
  /**
   * Reference logit of its own token minus that of the engine's token, after the common prefix;
   * where the engine stopped on a special token, minus that of the best special token.
   */
  readonly logitGap: number;
}

export interface ReferenceAnswer {
  /** Generated ids per prompt (prompt excluded, up to newTokens, EOS included if generated). */
  readonly tokens: number[][];
  /** transformers.js token ids of each text. */
  readonly encoded: number[][];
  /** Per prompt: null when the candidate agrees with the reference up to its length. */
  readonly divergences: (Divergence | null)[];
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
  const divergences = [];
  const int64 = (values) => BigInt64Array.from(values, BigInt);
  // One uncached forward pass: the reference's own logits after a sequence.
  const lastLogits = async (sequence) => {
    const { logits } = await model({
      input_ids: new Tensor('int64', int64(sequence), [1, sequence.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(sequence.length).fill(1n), [1, sequence.length]),
    });
    const vocab = logits.dims[2];
    return logits.data.slice(logits.data.length - vocab);
  };
  for (const [index, prompt] of request.prompts.entries()) {
    const ids = BigInt64Array.from(prompt, BigInt);
    const output = await model.generate({
      input_ids: new Tensor('int64', ids, [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      max_new_tokens: request.newTokens,
      do_sample: false,
    });
    const theirs = output.tolist()[0].slice(prompt.length).map(Number);
    tokens.push(theirs);
    const ours = request.candidates[index];
    const differs = ours.findIndex((token, position) => token !== theirs[position]);
    // Where the engine stopped on a special token the reference went on past, that is the difference.
    const wentOn = ours.length < theirs.length && !request.specialIds.includes(theirs[ours.length]);
    const stoppedEarly = request.stoppedOnSpecial[index] && wentOn ? ours.length : -1;
    const at = differs >= 0 ? differs : stoppedEarly;
    if (at < 0 || at >= theirs.length) {
      divergences.push(null);
      continue;
    }
    const logits = await lastLogits([...prompt, ...theirs.slice(0, at)]);
    const oursLogit = at < ours.length ? logits[ours[at]] : Math.max(...request.specialIds.map((id) => logits[id]));
    divergences.push({ index: at, logitGap: logits[theirs[at]] - oursLogit });
  }
  const tokenizer = await AutoTokenizer.from_pretrained(request.name);
  const encoded = request.texts.map((text) => tokenizer(text, { add_special_tokens: false }).input_ids.tolist()[0].map(Number));
  const backend = Object.keys(require.cache).some((file) => file.includes('onnxruntime-node')) ? 'node' : 'other';
  await model.dispose();
  process.stdout.write(JSON.stringify({ tokens, encoded, divergences, backend }));
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
    candidates: request.candidates,
    stoppedOnSpecial: request.stoppedOnSpecial,
    specialIds: request.specialIds,
  });
  const output = execFileSync(process.execPath, ['-e', CHILD], { cwd: repoRoot, input, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(output) as ReferenceAnswer;
}
