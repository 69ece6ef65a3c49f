/** Counters of what inline completion did in this session, shown by "Local GPT: Show Statistics". */
export interface StatsSnapshot {
  requests: number;
  suggestions: number;
  accepted: number;
  /** Share of suggestions that were accepted, 0 when nothing was suggested yet. */
  acceptRate: number;
}

export class CompletionStats {
  private requests = 0;
  private suggestions = 0;
  private accepted = 0;

  recordRequest(): void {
    this.requests++;
  }

  recordSuggestion(): void {
    this.suggestions++;
  }

  recordAccepted(): void {
    this.accepted++;
  }

  reset(): void {
    this.requests = 0;
    this.suggestions = 0;
    this.accepted = 0;
  }

  snapshot(): StatsSnapshot {
    return {
      requests: this.requests,
      suggestions: this.suggestions,
      accepted: this.accepted,
      acceptRate: this.suggestions === 0 ? 0 : this.accepted / this.suggestions,
    };
  }
}

export function formatStats(stats: StatsSnapshot): string {
  const rate = `${(stats.acceptRate * 100).toFixed(1)}%`;
  return `${stats.requests} requests, ${stats.suggestions} suggestions, ${stats.accepted} accepted (${rate})`;
}
