/**
 * What inline completion and the generation commands did, kept on this machine only: requests,
 * suggestions shown and accepted (overall and per language), the latency of suggestions (a
 * histogram with p50 and p95) and the decoding speed. vscode-free: the host persists the state
 * through a StatsStore (globalState in the extension).
 */

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket holds everything above. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000, 5000];
/** Percentiles are exact over this many most recent latencies (the histogram covers all of them). */
export const RECENT_LATENCIES = 500;
const STATE_VERSION = 1;

export interface LanguageCounts {
  requests: number;
  shown: number;
  accepted: number;
}

/** The persisted form. Plain JSON; validated on load because storage can hold anything. */
export interface StatsState {
  version: number;
  requests: number;
  shown: number;
  accepted: number;
  /** One count per bucket of LATENCY_BUCKET_BOUNDS_MS, plus the overflow bucket. */
  latencyBuckets: number[];
  recentLatenciesMs: number[];
  lastLatencyMs?: number;
  generatedTokens: number;
  generationMs: number;
  languages: Record<string, LanguageCounts>;
}

export interface HistogramBucket {
  /** Inclusive lower and exclusive upper bound in ms; `upperMs` is undefined for the last one. */
  readonly lowerMs: number;
  readonly upperMs?: number;
  readonly count: number;
}

export interface StatsSnapshot {
  requests: number;
  /** Suggestions shown to the user. */
  suggestions: number;
  accepted: number;
  /** Share of suggestions that were accepted, 0 when nothing was suggested yet. */
  acceptRate: number;
  latency: {
    count: number;
    p50Ms?: number;
    p95Ms?: number;
    lastMs?: number;
    histogram: HistogramBucket[];
  };
  /** Generated tokens per second of generation time; undefined before the first generation. */
  tokensPerSecond?: number;
  generatedTokens: number;
  /** Per language id, most requested first. */
  languages: Array<{ languageId: string } & LanguageCounts>;
}

export interface StatsStore {
  load(): unknown;
  save(state: StatsState): void;
}

export interface GenerationRecord {
  readonly generatedTokens: number;
  readonly durationMs: number;
}

export class CompletionStats {
  private state: StatsState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store?: StatsStore) {
    this.state = parseState(store?.load()) ?? emptyState();
  }

  /** Calls `listener` after every change; returns the function that unsubscribes it. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recordRequest(languageId?: string): void {
    this.state.requests++;
    this.countFor(languageId, 'requests');
    this.changed();
  }

  /** A suggestion was shown to the user. */
  recordSuggestion(languageId?: string): void {
    this.state.shown++;
    this.countFor(languageId, 'shown');
    this.changed();
  }

  recordAccepted(languageId?: string): void {
    this.state.accepted++;
    this.countFor(languageId, 'accepted');
    this.changed();
  }

  /** Time from a request to its suggestion. */
  recordLatency(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) {
      return;
    }
    this.state.latencyBuckets[bucketIndex(latencyMs)]++;
    this.state.recentLatenciesMs.push(latencyMs);
    if (this.state.recentLatenciesMs.length > RECENT_LATENCIES) {
      this.state.recentLatenciesMs.splice(0, this.state.recentLatenciesMs.length - RECENT_LATENCIES);
    }
    this.state.lastLatencyMs = latencyMs;
    this.changed();
  }

  /** A finished generation, for the tokens/s figure. */
  recordGeneration(record: GenerationRecord): void {
    if (record.generatedTokens <= 0 || !(record.durationMs > 0)) {
      return;
    }
    this.state.generatedTokens += record.generatedTokens;
    this.state.generationMs += record.durationMs;
    this.changed();
  }

  reset(): void {
    this.state = emptyState();
    this.changed();
  }

  snapshot(): StatsSnapshot {
    const s = this.state;
    const sorted = [...s.recentLatenciesMs].sort((a, b) => a - b);
    return {
      requests: s.requests,
      suggestions: s.shown,
      accepted: s.accepted,
      acceptRate: s.shown === 0 ? 0 : s.accepted / s.shown,
      latency: {
        count: s.latencyBuckets.reduce((sum, count) => sum + count, 0),
        p50Ms: percentile(sorted, 0.5),
        p95Ms: percentile(sorted, 0.95),
        lastMs: s.lastLatencyMs,
        histogram: s.latencyBuckets.map((count, index) => ({
          lowerMs: index === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[index - 1],
          upperMs: LATENCY_BUCKET_BOUNDS_MS[index],
          count,
        })),
      },
      tokensPerSecond: s.generationMs > 0 ? (s.generatedTokens * 1000) / s.generationMs : undefined,
      generatedTokens: s.generatedTokens,
      languages: Object.entries(s.languages)
        .map(([languageId, counts]) => ({ languageId, ...counts }))
        .sort((a, b) => b.requests - a.requests || b.shown - a.shown || a.languageId.localeCompare(b.languageId)),
    };
  }

  /**
   * Counts a request, shown or accepted suggestion for its language only, for callers whose
   * totals are already counted by recordRequest()/recordSuggestion()/recordAccepted() without one.
   */
  recordLanguage(languageId: string, field: keyof LanguageCounts): void {
    this.countFor(languageId, field);
    this.changed();
  }

  private countFor(languageId: string | undefined, field: keyof LanguageCounts): void {
    if (languageId === undefined || languageId.length === 0) {
      return;
    }
    const counts = (this.state.languages[languageId] ??= { requests: 0, shown: 0, accepted: 0 });
    counts[field]++;
  }

  private changed(): void {
    this.store?.save(this.state);
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

/** Nearest-rank percentile of sorted values; undefined when there are none. */
export function percentile(sorted: readonly number[], share: number): number | undefined {
  if (sorted.length === 0) {
    return undefined;
  }
  const rank = Math.ceil(share * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function bucketIndex(latencyMs: number): number {
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => latencyMs < bound);
  return index < 0 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
}

function emptyState(): StatsState {
  return {
    version: STATE_VERSION,
    requests: 0,
    shown: 0,
    accepted: 0,
    latencyBuckets: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0),
    recentLatenciesMs: [],
    generatedTokens: 0,
    generationMs: 0,
    languages: {},
  };
}

/** A stored state, or undefined when it is missing or not one this version wrote. */
export function parseState(value: unknown): StatsState | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Partial<StatsState>;
  const counts = [v.requests, v.shown, v.accepted, v.generatedTokens, v.generationMs];
  if (v.version !== STATE_VERSION || !counts.every(isCount)) {
    return undefined;
  }
  if (!Array.isArray(v.latencyBuckets) || v.latencyBuckets.length !== LATENCY_BUCKET_BOUNDS_MS.length + 1 || !v.latencyBuckets.every(isCount)) {
    return undefined;
  }
  if (!Array.isArray(v.recentLatenciesMs) || !v.recentLatenciesMs.every(isCount)) {
    return undefined;
  }
  const languages: Record<string, LanguageCounts> = {};
  for (const [id, entry] of Object.entries(v.languages ?? {})) {
    const e = entry as Partial<LanguageCounts>;
    if (isCount(e.requests) && isCount(e.shown) && isCount(e.accepted)) {
      languages[id] = { requests: e.requests, shown: e.shown, accepted: e.accepted };
    }
  }
  return {
    ...emptyState(),
    requests: v.requests!,
    shown: v.shown!,
    accepted: v.accepted!,
    latencyBuckets: [...v.latencyBuckets],
    recentLatenciesMs: v.recentLatenciesMs.slice(-RECENT_LATENCIES),
    lastLatencyMs: isCount(v.lastLatencyMs) ? v.lastLatencyMs : undefined,
    generatedTokens: v.generatedTokens!,
    generationMs: v.generationMs!,
    languages,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '–' : `${Math.round(ms)} ms`;
}

/** One line for notifications and the status bar tooltip. */
export function formatStats(stats: StatsSnapshot): string {
  const rate = `${(stats.acceptRate * 100).toFixed(1)}%`;
  const speed = stats.tokensPerSecond === undefined ? '–' : `${stats.tokensPerSecond.toFixed(1)} tokens/s`;
  return (
    `${stats.requests} requests, ${stats.suggestions} shown, ${stats.accepted} accepted (${rate}); ` +
    `latency p50 ${formatMs(stats.latency.p50Ms)}, p95 ${formatMs(stats.latency.p95Ms)}; ${speed}`
  );
}
