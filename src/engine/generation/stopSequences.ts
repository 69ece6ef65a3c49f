/**
 * Cuts streamed text at the first stop sequence. Text that could be the start of a stop sequence
 * is held back until the next delta shows whether it is one, so a stop sequence never reaches the
 * host, not even in part.
 */
export class StopSequenceFilter {
  private pending = '';
  private stopped = false;

  constructor(private readonly stopSequences: readonly string[]) {}

  get hasStopped(): boolean {
    return this.stopped;
  }

  /** Returns the text that is safe to emit; `stopped` once a stop sequence was found. */
  push(delta: string): { readonly emit: string; readonly stopped: boolean } {
    if (this.stopped) return { emit: '', stopped: true };
    const text = this.pending + delta;
    let stopAt = -1;
    for (const stop of this.stopSequences) {
      if (stop.length === 0) continue;
      const index = text.indexOf(stop);
      if (index >= 0 && (stopAt < 0 || index < stopAt)) stopAt = index;
    }
    if (stopAt >= 0) {
      this.stopped = true;
      this.pending = '';
      return { emit: text.slice(0, stopAt), stopped: true };
    }
    const hold = this.longestPartialStop(text);
    this.pending = text.slice(text.length - hold);
    return { emit: text.slice(0, text.length - hold), stopped: false };
  }

  /** Releases held-back text at the end of generation. */
  flush(): string {
    const rest = this.stopped ? '' : this.pending;
    this.pending = '';
    return rest;
  }

  private longestPartialStop(text: string): number {
    let longest = 0;
    for (const stop of this.stopSequences) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
