import { ngramDocumentsOf } from '../../../src/core/completion/ngramDocuments';
import { mulberry32 } from '../../../src/engine/generation/samplers';
import { NgramBlendProcessor } from '../../../src/engine/ngram/ngramBlendProcessor';
import type { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';
import type { BenchTarget } from './corpus';
import { percentile } from './metrics';
import { requestAt } from './replay';

/**
 * What the n-gram blend adds to each decode step, timed on its own: the cache holds a target's
 * documents as during the replay, and the processor runs on logits of the model's vocabulary
 * size for steps that follow the real text after each position. The GPT's own step time is the
 * p50 of the table's rows; this is the part the blend adds to it.
 */

const STEPS_PER_POSITION = 24;
const PROMPT_TAIL_CHARS = 400;

export interface BlendCost {
  readonly steps: number;
  readonly p50Us: number;
  readonly p95Us: number;
  /** Time to give the cache a target's documents the first time (tokenizing them all). */
  readonly firstUpdateP50Ms: number;
  /** Time to update it after one more character was typed. */
  readonly keystrokeUpdateP50Ms: number;
}

export function measureBlendCost(engine: TextGenerationEngine, targets: readonly BenchTarget[], vocabularySize: number): BlendCost {
  const random = mulberry32(7);
  const logits = new Float32Array(vocabularySize);
  const stepsUs: number[] = [];
  const firstUpdates: number[] = [];
  const keystrokeUpdates: number[] = [];
  for (const target of targets) {
    engine.ngramCache.clear();
    for (const position of target.positions) {
      let started = performance.now();
      engine.updateNgramDocuments(ngramDocumentsOf(requestAt(target, position, position.typedAtStart)));
      (position === target.positions[0] ? firstUpdates : keystrokeUpdates).push(performance.now() - started);
      started = performance.now();
      engine.updateNgramDocuments(ngramDocumentsOf(requestAt(target, position, position.typedAtStart + 1)));
      keystrokeUpdates.push(performance.now() - started);
      const prefix = target.file.text.slice(0, position.lineStart + position.typedAtStart);
      const prompt = engine.tokenizer.encodeText(prefix.slice(-PROMPT_TAIL_CHARS));
      const following = engine.tokenizer.encodeText(target.file.text.slice(prefix.length, prefix.length + 200));
      const processor = new NgramBlendProcessor(engine.ngramSources, prompt, prompt.length);
      const context = [...prompt];
      for (let step = 0; step < Math.min(STEPS_PER_POSITION, following.length); step++) {
        for (let index = 0; index < logits.length; index++) logits[index] = 4 * random() - 2;
        started = performance.now();
        processor.apply(logits, context);
        stepsUs.push(1000 * (performance.now() - started));
        context.push(following[step]);
      }
    }
  }
  return {
    steps: stepsUs.length,
    p50Us: percentile(stepsUs, 0.5),
    p95Us: percentile(stepsUs, 0.95),
    firstUpdateP50Ms: percentile(firstUpdates, 0.5),
    keystrokeUpdateP50Ms: percentile(keystrokeUpdates, 0.5),
  };
}

export interface DecodeCost {
  readonly tokens: number;
  /** Milliseconds per decode step after the first token, GPT alone and with the blend. */
  readonly gptP50Ms: number;
  readonly blendedP50Ms: number;
}

const DECODE_TOKENS = 24;
const DECODE_PROMPT_TOKENS = 256;

/**
 * The whole decode step with and without the blend, on the real model: the same prompts are
 * generated for a fixed number of tokens both ways, in alternating order, and the gaps between
 * consecutive tokens (prefill excluded) are compared by their medians.
 */
export async function measureDecodeCost(engine: TextGenerationEngine, targets: readonly BenchTarget[]): Promise<DecodeCost> {
  const gaps: Record<'gpt' | 'blended', number[]> = { gpt: [], blended: [] };
  for (const [index, target] of targets.entries()) {
    const position = target.positions[0];
    engine.updateNgramDocuments(ngramDocumentsOf(requestAt(target, position, position.typedAtStart)));
    const prefix = target.file.text.slice(0, position.lineStart + position.typedAtStart);
    const prompt = engine.tokenizer.encodeText(prefix).slice(-DECODE_PROMPT_TOKENS);
    const order: ('gpt' | 'blended')[] = index % 2 === 0 ? ['gpt', 'blended'] : ['blended', 'gpt'];
    for (const kind of order) {
      let last: number | undefined;
      await engine.generateFromIds(
        prompt,
        { maxNewTokens: DECODE_TOKENS, minNewTokens: DECODE_TOKENS, temperature: 0, useNgramCache: kind === 'blended' },
        {
          onToken: () => {
            const now = performance.now();
            if (last !== undefined) gaps[kind].push(now - last);
            last = now;
          },
        },
      );
    }
  }
  return { tokens: gaps.gpt.length + gaps.blended.length, gptP50Ms: percentile(gaps.gpt, 0.5), blendedP50Ms: percentile(gaps.blended, 0.5) };
}
