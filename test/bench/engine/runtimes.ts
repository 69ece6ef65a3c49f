/**
 * The three runtimes the engine benchmark compares on one model folder, behind one interface:
 *  - ort-web:        this project's engine (TextGenerationEngine: onnxruntime-web WASM, KV reuse);
 *  - ort-node:       native onnxruntime-node driven by a minimal greedy loop with the same inputs;
 *  - transformers.js: @huggingface/transformers (its own onnxruntime-node backend), model.generate.
 * All take token ids, so every runtime runs exactly the same tokens.
 */
import * as path from 'node:path';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';

export type RuntimeName = 'ort-web' | 'ort-node' | 'transformers.js';

export interface BenchRuntime {
  /** Milliseconds to first prefill from nothing (files, session, warm-up where the runtime has one). */
  load(): Promise<number>;
  /** Milliseconds to run `ids` from an empty cache (last-position logits, one token sampled). */
  coldPrefill(ids: readonly number[]): Promise<number>;
  /** Milliseconds of each of `steps` decode steps after a cold prefill of `ids`. */
  decodeSteps(ids: readonly number[], steps: number): Promise<number[]>;
  /** Milliseconds to run `extra` with `base` already cached. */
  appendedPrefill(base: readonly number[], extra: readonly number[]): Promise<number>;
  dispose(): Promise<void>;
}

export interface RuntimeSetup {
  readonly modelDir: string;
  readonly dtype: 'q8' | 'fp32';
  readonly threads: number;
  readonly wasmDir: string;
}

const ONNX_FILE = { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' } as const;

export function createRuntime(name: RuntimeName, setup: RuntimeSetup): BenchRuntime {
  switch (name) {
    case 'ort-web':
      return new OrtWebRuntime(setup);
    case 'ort-node':
      return new OrtNodeRuntime(setup);
    case 'transformers.js':
      return new TransformersRuntime(setup);
  }
}

class OrtWebRuntime implements BenchRuntime {
  private engine!: TextGenerationEngine;
  constructor(private readonly setup: RuntimeSetup) {}

  async load(): Promise<number> {
    const started = performance.now();
    this.engine = await TextGenerationEngine.load(new NodeModelFiles(this.setup.modelDir), {
      threads: this.setup.threads,
      wasmDir: this.setup.wasmDir,
      dtype: this.setup.dtype,
    });
    return performance.now() - started;
  }

  async coldPrefill(ids: readonly number[]): Promise<number> {
    await this.engine.resetCache();
    const started = performance.now();
    await this.engine.generateFromIds(ids, { maxNewTokens: 1, temperature: 0 });
    return performance.now() - started;
  }

  async decodeSteps(ids: readonly number[], steps: number): Promise<number[]> {
    await this.engine.resetCache();
    const stamps: number[] = [];
    await this.engine.generateFromIds(ids, { maxNewTokens: steps + 1, minNewTokens: steps + 1, temperature: 0 }, { onToken: () => stamps.push(performance.now()) });
    return stamps.slice(1).map((stamp, index) => stamp - stamps[index]);
  }

  async appendedPrefill(base: readonly number[], extra: readonly number[]): Promise<number> {
    await this.engine.generateFromIds(base, { maxNewTokens: 1, temperature: 0 });
    const started = performance.now();
    const result = await this.engine.generateFromIds([...base, ...extra], { maxNewTokens: 1, temperature: 0 });
    const elapsed = performance.now() - started;
    if (result.reusedPromptTokens !== base.length) throw new Error(`reused ${result.reusedPromptTokens} of ${base.length}`);
    return elapsed;
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }
}

type OrtNode = typeof import('onnxruntime-node');
type NodeTensor = import('onnxruntime-node').Tensor;

/** Native onnxruntime with the same feeds the engine builds (int64 ids/mask/positions, [1,h,0,d] empty past). */
class OrtNodeRuntime implements BenchRuntime {
  private ort!: OrtNode;
  private session!: import('onnxruntime-node').InferenceSession;
  private kvShape!: { heads: number; dim: number; layers: number };
  constructor(private readonly setup: RuntimeSetup) {}

  async load(): Promise<number> {
    const started = performance.now();
    this.ort = require('onnxruntime-node') as OrtNode;
    this.session = await this.ort.InferenceSession.create(path.join(this.setup.modelDir, ONNX_FILE[this.setup.dtype]), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: this.setup.threads,
      interOpNumThreads: 1,
    });
    const past = this.session.inputMetadata.find((input) => input.name === 'past_key_values.0.key');
    const shape = past && past.isTensor ? past.shape : [];
    this.kvShape = {
      heads: Number(shape[1]),
      dim: Number(shape[3]),
      layers: this.session.inputNames.filter((name) => name.startsWith('past_key_values.')).length / 2,
    };
    await this.run([1, 2, 3], undefined);
    return performance.now() - started;
  }

  async coldPrefill(ids: readonly number[]): Promise<number> {
    const started = performance.now();
    argmax((await this.run(ids, undefined)).logits);
    return performance.now() - started;
  }

  async decodeSteps(ids: readonly number[], steps: number): Promise<number[]> {
    let { logits, past } = await this.run(ids, undefined);
    const times: number[] = [];
    for (let step = 0; step < steps; step++) {
      const started = performance.now();
      ({ logits, past } = await this.run([argmax(logits)], past));
      times.push(performance.now() - started);
    }
    return times;
  }

  async appendedPrefill(base: readonly number[], extra: readonly number[]): Promise<number> {
    const { past } = await this.run(base, undefined);
    const started = performance.now();
    argmax((await this.run(extra, past)).logits);
    return performance.now() - started;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private async run(ids: readonly number[], past: { length: number; tensors: Record<string, NodeTensor> } | undefined) {
    const { Tensor } = this.ort;
    const pastLength = past?.length ?? 0;
    const total = pastLength + ids.length;
    const feeds: Record<string, NodeTensor> = {
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.session.inputNames.includes('position_ids')) {
      feeds.position_ids = new Tensor('int64', BigInt64Array.from(ids, (_, index) => BigInt(pastLength + index)), [1, ids.length]);
    }
    for (let layer = 0; layer < this.kvShape.layers; layer++) {
      for (const kind of ['key', 'value']) {
        feeds[`past_key_values.${layer}.${kind}`] =
          past?.tensors[`present.${layer}.${kind}`] ?? new Tensor('float32', new Float32Array(0), [1, this.kvShape.heads, 0, this.kvShape.dim]);
      }
    }
    const outputs = await this.session.run(feeds);
    const logitsTensor = outputs.logits;
    const [, positions, vocab] = logitsTensor.dims;
    const logits = (logitsTensor.data as Float32Array).subarray((positions - 1) * vocab, positions * vocab);
    return { logits, past: { length: total, tensors: outputs as Record<string, NodeTensor> } };
  }
}

/** transformers.js `generate`, as an integration would call it (cache reuse through past_key_values). */
class TransformersRuntime implements BenchRuntime {
  private model!: { generate(inputs: object): Promise<unknown>; dispose(): Promise<void> };
  private Tensor!: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  constructor(private readonly setup: RuntimeSetup) {}

  async load(): Promise<number> {
    const started = performance.now();
    const transformers = require('@huggingface/transformers');
    transformers.env.allowRemoteModels = false;
    transformers.env.localModelPath = path.dirname(this.setup.modelDir) + path.sep;
    this.Tensor = transformers.Tensor;
    this.model = await transformers.AutoModelForCausalLM.from_pretrained(path.basename(this.setup.modelDir), {
      dtype: this.setup.dtype,
      device: 'cpu',
      session_options: { intraOpNumThreads: this.setup.threads, interOpNumThreads: 1 },
    });
    await this.generate([1, 2, 3], 1);
    return performance.now() - started;
  }

  async coldPrefill(ids: readonly number[]): Promise<number> {
    const started = performance.now();
    await this.generate(ids, 1);
    return performance.now() - started;
  }

  async decodeSteps(ids: readonly number[], steps: number): Promise<number[]> {
    const stamps: number[] = [];
    const streamer = { put: () => stamps.push(performance.now()), end: () => {} };
    await this.generate(ids, steps + 2, streamer);
    // The first put() is the prompt, the second the token after prefill; then one per decode step.
    return stamps.slice(2).map((stamp, index) => stamp - stamps[index + 1]);
  }

  /** transformers.js reuses a cache across calls when given the previous call's past_key_values. */
  async appendedPrefill(base: readonly number[], extra: readonly number[]): Promise<number> {
    const first = (await this.generate(base, 1, undefined, { return_dict_in_generate: true })) as { past_key_values: unknown };
    const started = performance.now();
    await this.generate([...base, ...extra], 1, undefined, { past_key_values: first.past_key_values });
    return performance.now() - started;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private generate(ids: readonly number[], newTokens: number, streamer?: object, extra: object = {}): Promise<unknown> {
    const data = BigInt64Array.from(ids, BigInt);
    return this.model.generate({
      input_ids: new this.Tensor('int64', data, [1, ids.length]),
      attention_mask: new this.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      max_new_tokens: newTokens,
      min_new_tokens: newTokens,
      do_sample: false,
      streamer,
      ...extra,
    });
  }
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let index = 1; index < logits.length; index++) if (logits[index] > logits[best]) best = index;
  return best;
}
