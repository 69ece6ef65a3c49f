/** Figures of the completion benchmark: latency percentiles, match quality and KV reuse. */

export interface Sample {
  /** Keystroke to the suggestion showing (its first streamed line). */
  readonly latencyMs: number;
  /** Keystroke to the whole suggestion. */
  readonly completeMs: number;
  readonly shown: boolean;
  readonly exact: boolean;
  /** The expected text holds a name only the open files have (see copyable.ts). */
  readonly copyable: boolean;
  /** The expected text is verbatim in an open file and not in the current one (see copyable.ts). */
  readonly verbatim: boolean;
  readonly editSimilarity: number;
  /** The real rest of the line and the suggestion's first line, both trimmed (for --dump). */
  readonly expected: string;
  readonly suggested: string;
  /** The line being typed (package, path and offset): a line's keystrokes are not independent trials. */
  readonly line: string;
  readonly source: 'generated' | 'cache' | 'in-flight' | 'none';
  readonly promptTokens: number;
  readonly reusedPromptTokens: number;
}

export interface Summary {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly completeP95Ms: number;
  readonly shownRate: number;
  readonly exactMatch: number;
  readonly editSimilarity: number;
  /** Share of generations that reused at least half their prompt from the KV cache. */
  readonly kvHitRate: number;
  /** Share of all prompt tokens of generations served from the KV cache. */
  readonly kvReusedShare: number;
  /** Share of requests answered without a new generation (cache, typing-through, in flight). */
  readonly reuseRate: number;
}

/** A generation counts as a KV hit when the cache served at least this share of its prompt. */
const KV_HIT_SHARE = 0.5;

export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/** 1 - Levenshtein distance / length of the longer text; 1 for two empty texts. */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) {
    return 1;
  }
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[b.length] / longer;
}

export function summarize(samples: readonly Sample[]): Summary {
  const generated = samples.filter((sample) => sample.source === 'generated');
  const promptTokens = generated.reduce((sum, sample) => sum + sample.promptTokens, 0);
  const reused = generated.reduce((sum, sample) => sum + sample.reusedPromptTokens, 0);
  const share = (count: number, of: number) => (of === 0 ? 0 : count / of);
  const latencies = samples.map((sample) => sample.latencyMs);
  return {
    requests: samples.length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    completeP95Ms: percentile(samples.map((sample) => sample.completeMs), 0.95),
    shownRate: share(samples.filter((sample) => sample.shown).length, samples.length),
    exactMatch: share(samples.filter((sample) => sample.exact).length, samples.length),
    editSimilarity: share(samples.reduce((sum, sample) => sum + sample.editSimilarity, 0), samples.length),
    kvHitRate: share(generated.filter((sample) => sample.reusedPromptTokens >= KV_HIT_SHARE * sample.promptTokens).length, generated.length),
    kvReusedShare: share(reused, promptTokens),
    reuseRate: share(samples.filter((sample) => sample.source === 'cache' || sample.source === 'in-flight').length, samples.length),
  };
}
