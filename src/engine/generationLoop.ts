/**
 * The decode loop of one request: prefill what the KV cache lacks, then sample, stream and feed
 * back one token at a time until a stopping criterion fires or the request is cancelled.
 * Cancellation is checked between decode steps, after yielding once to the event loop so that
 * a cancel message that arrived during the step has been delivered.
 */
import type { GenerateResult } from '../core/engine';
import { yieldToEventLoop } from '../core/yieldToEventLoop';
import type { DecoderSession } from './decoderSession';
import { buildLogitsProcessors, type LogitsProcessorOptions } from './generation/logitsProcessors';
import { buildSampler } from './generation/samplers';
import { StoppingCriteria } from './generation/stoppingCriteria';
import { StopSequenceFilter } from './generation/stopSequences';
import { commonPrefixLength, type KvCache } from './kvCache';
import { CONTEXT_WINDOW_TOKENS, type NgramSources } from './ngram/alignedContext';
import { type FimTokenIds, cursorTail } from './ngram/cursorContext';
import { type NgramBlendOptions, NgramBlendProcessor } from './ngram/ngramBlendProcessor';
import { StreamingDetokenizer } from './streamingDetokenizer';

/** Returns true once the request should stop (cancel message, AbortSignal, newer request). */
export type CancelCheck = () => boolean;

export interface DecodeOptions extends LogitsProcessorOptions {
  readonly maxNewTokens: number;
  readonly seed?: number;
  readonly stopSequences?: readonly string[];
  /** Blend the n-gram cache of open files into the logits. */
  readonly useNgramCache?: boolean;
}

/** The n-gram cache of open files and how to blend it, for requests with `useNgramCache`. */
export interface NgramSetup {
  readonly sources: NgramSources;
  readonly fim: FimTokenIds;
  readonly blend: NgramBlendOptions;
}

export interface GenerationContext {
  readonly session: DecoderSession;
  readonly cache: KvCache;
  readonly decode: (ids: readonly number[]) => string;
  /** EOS ids and every special token id. */
  readonly stopTokenIds: ReadonlySet<number>;
  /** Positions the model handles; generation stops before the cache would exceed it. */
  readonly contextTokens: number;
  /** Upper bound of the cache kept between requests. */
  readonly maxCachedTokens: number;
  readonly ngram?: NgramSetup;
}

export interface PrefillOutcome {
  /** Logits after the last prompt token; undefined when nothing had to run or it was cancelled. */
  readonly logits?: Float32Array;
  readonly reusedPromptTokens: number;
  /** Cancelled between two chunks: the cache keeps the chunks that ran. */
  readonly cancelled?: boolean;
}

/**
 * Prompt tokens per prefill run. A cancel is checked between runs, so a long cold prompt stops
 * within one chunk, and a cancelled prefill keeps its finished chunks cached for the next request.
 */
export const PREFILL_CHUNK_TOKENS = 256;

/**
 * Makes the cache hold `promptIds`: keeps the longest common prefix, trims the rest, runs the new
 * tokens in chunks. With `needLogits`, at least the last prompt token is run again for its logits.
 */
export async function prefillPrompt(
  context: GenerationContext,
  promptIds: readonly number[],
  needLogits: boolean,
  isCancelled: CancelCheck = () => false,
): Promise<PrefillOutcome> {
  const { cache, session } = context;
  let reused = commonPrefixLength(cache.tokens, promptIds);
  if (needLogits && reused >= promptIds.length) {
    reused = promptIds.length - 1;
  }
  cache.trim(reused);
  let logits: Float32Array | undefined;
  try {
    for (let start = reused; start < promptIds.length; start += PREFILL_CHUNK_TOKENS) {
      if (start > reused && (await cancelledAfterYield(isCancelled))) {
        return { reusedPromptTokens: reused, cancelled: true };
      }
      logits = await session.run(promptIds.slice(start, start + PREFILL_CHUNK_TOKENS), cache);
    }
  } catch (error) {
    cache.clear();
    throw error;
  }
  return { logits, reusedPromptTokens: reused };
}

export interface GenerationCallbacks {
  /** Text deltas as they become final. */
  readonly onDelta?: (delta: string) => void;
  /** Every generated token id (EOS and other stop tokens excluded). */
  readonly onToken?: (token: number) => void;
  readonly isCancelled?: CancelCheck;
}

export async function generateTokens(
  context: GenerationContext,
  promptIds: readonly number[],
  options: DecodeOptions,
  callbacks: GenerationCallbacks = {},
): Promise<GenerateResult> {
  const isCancelled = callbacks.isCancelled ?? (() => false);
  const maxNewTokens = Math.max(0, Math.min(options.maxNewTokens, context.contextTokens - promptIds.length));
  const processors = buildLogitsProcessors(options, promptIds.length, context.stopTokenIds);
  const ngram = context.ngram;
  if (options.useNgramCache && ngram) {
    // First, on the model's own logits: penalties, temperature and top-k/p then see the blend.
    const tail = cursorTail(promptIds, context.stopTokenIds, ngram.fim, CONTEXT_WINDOW_TOKENS);
    processors.unshift(new NgramBlendProcessor(ngram.sources, tail, promptIds.length, ngram.blend));
  }
  const sampler = buildSampler(options.temperature, options.seed);
  const stopping = new StoppingCriteria(maxNewTokens, context.stopTokenIds);
  const stopFilter = new StopSequenceFilter(options.stopSequences ?? []);
  const detokenizer = new StreamingDetokenizer(context.decode, promptIds);
  const generated: number[] = [];
  const allTokens = [...promptIds];
  let text = '';
  const emit = (delta: string): void => {
    if (delta.length > 0) {
      text += delta;
      callbacks.onDelta?.(delta);
    }
  };

  let stopReason: GenerateResult['stopReason'] = 'max-tokens';
  let reusedPromptTokens = 0;
  const startedAt = performance.now();
  let prefilledAt: number | undefined;
  try {
    if (maxNewTokens === 0 || isCancelled()) {
      return result(isCancelled() ? 'cancelled' : 'max-tokens');
    }
    const prefill = await prefillPrompt(context, promptIds, true, isCancelled);
    reusedPromptTokens = prefill.reusedPromptTokens;
    prefilledAt = performance.now();
    if (prefill.cancelled) {
      return result('cancelled');
    }
    let logits = prefill.logits!;
    for (;;) {
      if (await cancelledAfterYield(isCancelled)) {
        stopReason = 'cancelled';
        break;
      }
      for (const processor of processors) processor.apply(logits, allTokens);
      const token = sampler.sample(logits);
      if (stopping.isStopToken(token)) {
        stopReason = 'eos';
        break;
      }
      generated.push(token);
      allTokens.push(token);
      callbacks.onToken?.(token);
      const filtered = stopFilter.push(detokenizer.push(token));
      emit(filtered.emit);
      if (filtered.stopped) {
        stopReason = 'stop-sequence';
        break;
      }
      if (stopping.isBudgetSpent(generated.length)) {
        stopReason = 'max-tokens';
        break;
      }
      if (await cancelledAfterYield(isCancelled)) {
        stopReason = 'cancelled';
        break;
      }
      logits = await context.session.run([token], context.cache);
    }
    if (stopReason !== 'stop-sequence') {
      emit(stopFilter.push(detokenizer.flush()).emit);
      emit(stopFilter.flush());
    }
    return result(stopReason);
  } finally {
    context.cache.trim(context.maxCachedTokens);
  }

  function result(reason: GenerateResult['stopReason']): GenerateResult {
    const endedAt = performance.now();
    const prefillEnd = prefilledAt ?? endedAt;
    return {
      text,
      promptTokens: promptIds.length,
      generatedTokens: generated.length,
      reusedPromptTokens,
      stopReason: reason,
      timings: { prefillMs: prefillEnd - startedAt, decodeMs: endedAt - prefillEnd },
    };
  }
}

async function cancelledAfterYield(isCancelled: CancelCheck): Promise<boolean> {
  await yieldToEventLoop();
  return isCancelled();
}
