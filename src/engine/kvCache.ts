/**
 * The KV cache of the one sequence the engine keeps: the token ids it covers and the present
 * tensors of the last run ([1, kv_heads, tokens, head_dim] per layer, key and value). A new
 * prompt reuses its longest common prefix with these tokens; the rest is trimmed off along the
 * sequence axis and only the new tokens are run.
 */
import { onnxRuntimeWeb, type Tensor } from './onnxRuntime';
import type { DecoderGraph } from './decoderGraph';

export class KvCache {
  private cachedTokens: number[] = [];
  /** Per layer: [key, value]; undefined while empty. */
  private tensors: (readonly [Tensor, Tensor])[] | undefined;

  constructor(private readonly graph: DecoderGraph) {}

  get tokens(): readonly number[] {
    return this.cachedTokens;
  }

  get length(): number {
    return this.cachedTokens.length;
  }

  /** Bytes held by the cached tensors. */
  get bytes(): number {
    return this.cachedTokens.length * this.graph.layers.length * 2 * this.graph.kvHeads * this.graph.headDim * 4;
  }

  /** The past_key_values inputs for the next run (empty [1, heads, 0, dim] tensors when cold). */
  pastFeeds(): Record<string, Tensor> {
    const feeds: Record<string, Tensor> = {};
    const { kvHeads, headDim } = this.graph;
    this.graph.layers.forEach((names, layer) => {
      const pair = this.tensors?.[layer];
      feeds[names.pastKey] = pair?.[0] ?? new (onnxRuntimeWeb().Tensor)('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      feeds[names.pastValue] = pair?.[1] ?? new (onnxRuntimeWeb().Tensor)('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    });
    return feeds;
  }

  /** Takes the present outputs of a run that appended `newTokens` to the cached ones. */
  append(newTokens: readonly number[], outputs: Record<string, Tensor>): void {
    const expected = this.cachedTokens.length + newTokens.length;
    this.tensors = this.graph.layers.map((names) => {
      const key = outputs[names.presentKey];
      const value = outputs[names.presentValue];
      if (key.dims[2] !== expected || value.dims[2] !== expected) {
        throw new Error(`${names.presentKey} holds ${key.dims[2]} positions, expected ${expected}`);
      }
      return [key, value] as const;
    });
    this.cachedTokens = [...this.cachedTokens, ...newTokens];
  }

  /** Keeps the first `length` positions. */
  trim(length: number): void {
    if (length >= this.cachedTokens.length) return;
    if (length <= 0 || !this.tensors) {
      this.clear();
      return;
    }
    this.tensors = this.tensors.map(([key, value]) => [sliceSequence(key, length), sliceSequence(value, length)] as const);
    this.cachedTokens = this.cachedTokens.slice(0, length);
  }

  clear(): void {
    this.tensors = undefined;
    this.cachedTokens = [];
  }
}

/** Copies positions [0, length) of a [1, heads, sequence, dim] tensor. */
function sliceSequence(tensor: Tensor, length: number): Tensor {
  const [batch, heads, sequence, dim] = tensor.dims;
  const source = tensor.data as Float32Array;
  const sliced = new Float32Array(batch * heads * length * dim);
  for (let head = 0; head < batch * heads; head++) {
    sliced.set(source.subarray(head * sequence * dim, (head * sequence + length) * dim), head * length * dim);
  }
  return new (onnxRuntimeWeb().Tensor)('float32', sliced, [batch, heads, length, dim]);
}

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}
