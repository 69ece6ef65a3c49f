/**
 * Logits processors, applied in order to the next-token logits before sampling (in place),
 * after transformers.js `generation/logits_process`: repetition penalty, temperature, top-k, top-p.
 */

export interface LogitsProcessor {
  /** Rewrites `logits` in place; `context` is every token so far (prompt and generated). */
  apply(logits: Float32Array, context: readonly number[]): void;
}

/** CTRL-style penalty: logits of tokens already seen are divided (positive) or multiplied (negative). */
export class RepetitionPenaltyProcessor implements LogitsProcessor {
  constructor(private readonly penalty: number) {}

  apply(logits: Float32Array, context: readonly number[]): void {
    for (const token of new Set(context)) {
      if (token < 0 || token >= logits.length) continue;
      const logit = logits[token];
      logits[token] = logit > 0 ? logit / this.penalty : logit * this.penalty;
    }
  }
}

export class TemperatureProcessor implements LogitsProcessor {
  constructor(private readonly temperature: number) {}

  apply(logits: Float32Array): void {
    for (let index = 0; index < logits.length; index++) {
      logits[index] /= this.temperature;
    }
  }
}

/** Keeps the k highest logits (ties at the k-th value are kept too). */
export class TopKProcessor implements LogitsProcessor {
  constructor(private readonly topK: number) {}

  apply(logits: Float32Array): void {
    if (this.topK <= 0 || this.topK >= logits.length) return;
    const threshold = Float32Array.from(logits).sort().reverse()[this.topK - 1];
    for (let index = 0; index < logits.length; index++) {
      if (logits[index] < threshold) logits[index] = -Infinity;
    }
  }
}

/** Nucleus filtering: keeps the smallest set of most likely tokens whose probability reaches p. */
export class TopPProcessor implements LogitsProcessor {
  constructor(private readonly topP: number) {}

  apply(logits: Float32Array): void {
    if (this.topP >= 1) return;
    const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]);
    const max = logits[order[0]];
    let total = 0;
    for (const index of order) total += Math.exp(logits[index] - max);
    let cumulative = 0;
    let kept = 0;
    while (kept < order.length && cumulative < this.topP) {
      cumulative += Math.exp(logits[order[kept]] - max) / total;
      kept++;
    }
    for (let rank = Math.max(kept, 1); rank < order.length; rank++) {
      logits[order[rank]] = -Infinity;
    }
  }
}

/** Forbids the stop tokens until `minNewTokens` tokens were generated (HF `min_new_tokens`). */
export class MinNewTokensProcessor implements LogitsProcessor {
  constructor(
    private readonly promptLength: number,
    private readonly minNewTokens: number,
    private readonly stopTokenIds: ReadonlySet<number>,
  ) {}

  apply(logits: Float32Array, context: readonly number[]): void {
    if (context.length - this.promptLength >= this.minNewTokens) return;
    for (const token of this.stopTokenIds) {
      if (token < logits.length) logits[token] = -Infinity;
    }
  }
}

export interface LogitsProcessorOptions {
  readonly temperature: number;
  /** Generate at least this many tokens before a stop token may end the sequence (benchmarks). */
  readonly minNewTokens?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly repetitionPenalty?: number;
}

/** The processors for one request; greedy requests (temperature 0) only get the penalty. */
export function buildLogitsProcessors(
  options: LogitsProcessorOptions,
  promptLength = 0,
  stopTokenIds: ReadonlySet<number> = new Set(),
): LogitsProcessor[] {
  const processors: LogitsProcessor[] = [];
  if (options.minNewTokens !== undefined && options.minNewTokens > 0) {
    processors.push(new MinNewTokensProcessor(promptLength, options.minNewTokens, stopTokenIds));
  }
  if (options.repetitionPenalty !== undefined && options.repetitionPenalty !== 1) {
    processors.push(new RepetitionPenaltyProcessor(options.repetitionPenalty));
  }
  if (options.temperature > 0) {
    if (options.temperature !== 1) processors.push(new TemperatureProcessor(options.temperature));
    if (options.topK !== undefined && options.topK > 0) processors.push(new TopKProcessor(options.topK));
    if (options.topP !== undefined && options.topP < 1) processors.push(new TopPProcessor(options.topP));
  }
  return processors;
}
