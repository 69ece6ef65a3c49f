import type * as vscode from 'vscode';
import { CompletionStats, type StatsState, type StatsStore } from '../core/stats';

export const STATS_STATE_KEY = 'localGpt.stats';
/** Stats change on every keystroke; writing globalState that often would only load the disk. */
const SAVE_DELAY_MS = 2000;

/**
 * The completion statistics, persisted in globalState on this machine. The key is never passed to
 * setKeysForSync, so Settings Sync does not carry the figures anywhere either.
 */
export function persistentStats(state: vscode.Memento): { stats: CompletionStats; store: vscode.Disposable } {
  const store = new MementoStatsStore(state);
  return { stats: new CompletionStats(store), store };
}

class MementoStatsStore implements StatsStore, vscode.Disposable {
  private pending: StatsState | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly memento: vscode.Memento) {}

  load(): unknown {
    return this.memento.get(STATS_STATE_KEY);
  }

  save(state: StatsState): void {
    this.pending = state;
    this.timer ??= setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending) {
      // A copy: the live state keeps changing while the write is queued.
      void this.memento.update(STATS_STATE_KEY, structuredClone(this.pending));
      this.pending = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
  }
}
