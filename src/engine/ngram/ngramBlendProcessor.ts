import type { LogitsProcessor } from '../generation/logitsProcessors';
import { alignedContextCounts, CONTEXT_WINDOW_TOKENS, type NgramSources } from './alignedContext';
import { type NgramPrediction, wittenBell } from './wittenBell';

/**
 * Blends the n-gram cache's next-token distribution q into the GPT's p at every decode step.
 *
 * Linear interpolation, (1 - w) p + w q, with a weight w that depends on the cache's confidence,
 * is the default. A mixture only adds mass: it can put a name the GPT has never seen (it is
 * only in another open file) on top when the cache is sure, and where the cache is unsure or
 * wrong the GPT's own choices keep (1 - w) of their probability. Log-linear mixing,
 * p^(1 - w) q^w, multiplies instead: a token the cache never saw is pushed down by q's floor
 * whatever the GPT thinks, and a token the GPT finds unlikely needs a very large w to win,
 * which is the copying case the cache is for. Both are measured by the completion benchmark
 * (`--ngram-mixing`); `cache-only` replaces p by q, for the benchmark's "cache alone" row.
 *
 * The weight is the cache's own probability for its best guess, max q: Witten-Bell has already
 * weighed how often and how consistently each matched context was continued, longest first, so
 * a name seen once after five matching tokens gets most of the weight, and a context followed by
 * many different tokens little. (Tu et al. 2014 weigh their cache by c(h) / (c(h) + γ) at the
 * longest context alone; that gives a long context seen once only 1/(1 + γ), and by the counts
 * of short, frequent contexts a weight they do not deserve.) Contexts shorter than
 * `minContextTokens` get no weight: one shared token says little about what follows it.
 */

export type NgramMixing = 'linear' | 'log-linear' | 'cache-only';

export interface NgramBlendOptions {
  readonly mixing: NgramMixing;
  readonly minContextTokens: number;
  /** The weight never exceeds this, so the GPT always keeps a share. */
  readonly maxWeight: number;
}

export const DEFAULT_NGRAM_BLEND: NgramBlendOptions = { mixing: 'linear', minContextTokens: 2, maxWeight: 0.9 };

/** Share of q spread evenly over the vocabulary in log-linear mixing, so log q is finite. */
const LOG_LINEAR_UNIFORM_SHARE = 0.01;

export class NgramBlendProcessor implements LogitsProcessor {
  /** q over the whole vocabulary, rewritten each step (kept to spare an allocation per step). */
  private cacheDistribution = new Float64Array(0);

  constructor(
    private readonly sources: NgramSources,
    /** Prompt tokens right before the cursor (see cursorTail). */
    private readonly cursorTail: readonly number[],
    private readonly promptLength: number,
    private readonly options: NgramBlendOptions = DEFAULT_NGRAM_BLEND,
  ) {}

  apply(logits: Float32Array, context: readonly number[]): void {
    const { cache } = this.sources;
    if (cache.tokenCount === 0) {
      return;
    }
    const generated = context.slice(this.promptLength);
    const recent = [...this.cursorTail, ...generated].slice(-CONTEXT_WINDOW_TOKENS);
    const prediction = wittenBell(alignedContextCounts(this.sources, recent, logits.length));
    if (this.options.mixing !== 'cache-only' && prediction.contextLength < this.options.minContextTokens) {
      return;
    }
    const q = this.distribution(prediction, logits.length);
    if (this.options.mixing === 'cache-only') {
      for (let token = 0; token < logits.length; token++) logits[token] = Math.log(q[token]);
      return;
    }
    let top = 0;
    for (const token of prediction.fromContexts.keys()) top = Math.max(top, q[token] ?? 0);
    const weight = Math.min(this.options.maxWeight, top);
    const logNormalizer = logSumExp(logits);
    if (this.options.mixing === 'log-linear') {
      const uniform = LOG_LINEAR_UNIFORM_SHARE / logits.length;
      for (let token = 0; token < logits.length; token++) {
        const smoothed = (1 - LOG_LINEAR_UNIFORM_SHARE) * q[token] + uniform;
        logits[token] = (1 - weight) * (logits[token] - logNormalizer) + weight * Math.log(smoothed);
      }
      return;
    }
    const keptShare = Math.log(1 - weight);
    for (let token = 0; token < logits.length; token++) {
      const fromCache = q[token];
      logits[token] =
        fromCache === 0
          ? logits[token] - logNormalizer + keptShare
          : Math.log((1 - weight) * Math.exp(logits[token] - logNormalizer) + weight * fromCache);
    }
  }

  /** q(w) = the contexts' mass for w + the unigram mass times w's unigram share. */
  private distribution(prediction: NgramPrediction, size: number): Float64Array {
    if (this.cacheDistribution.length !== size) {
      this.cacheDistribution = new Float64Array(size);
    }
    const q = this.cacheDistribution;
    const { cache } = this.sources;
    cache.writeUnigrams(q, prediction.unigramMass / cache.tokenCount);
    for (const [token, mass] of prediction.fromContexts) {
      if (token < size) q[token] += mass;
    }
    return q;
  }
}

function logSumExp(values: Float32Array): number {
  let max = -Infinity;
  for (let index = 0; index < values.length; index++) if (values[index] > max) max = values[index];
  if (max === -Infinity) return max;
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += Math.exp(values[index] - max);
  return max + Math.log(sum);
}
