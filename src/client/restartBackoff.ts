/** Delays before restarting a crashed worker: doubling from `initialMs` to `maxMs`, `maxRestarts` in a row at most. */
export interface RestartBackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly maxRestarts: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = { initialMs: 250, maxMs: 8000, maxRestarts: 5 };

export class RestartBackoff {
  private failures = 0;

  constructor(private readonly options: RestartBackoffOptions = DEFAULT_RESTART_BACKOFF) {}

  /** Delay before the next restart, or undefined once too many crashes came in a row. */
  nextDelayMs(): number | undefined {
    if (this.failures >= this.options.maxRestarts) return undefined;
    const delay = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.failures);
    this.failures++;
    return delay;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The worker answered a request after a restart: it is healthy again. */
  reset(): void {
    this.failures = 0;
  }
}
