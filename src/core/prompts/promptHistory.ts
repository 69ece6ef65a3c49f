/**
 * The prompts the user gave "Generate Code from Prompt", newest first, without duplicates.
 * Persisted by the host (globalState) through a load/save pair so this stays vscode-free.
 */

export const MAX_PROMPT_HISTORY = 50;

export interface HistoryStore {
  load(): unknown;
  save(entries: readonly string[]): void | PromiseLike<void>;
}

export class PromptHistory {
  constructor(private readonly store: HistoryStore) {}

  /** Entries newest first; anything malformed in storage is dropped rather than trusted. */
  entries(): string[] {
    const stored = this.store.load();
    if (!Array.isArray(stored)) {
      return [];
    }
    return stored.filter((entry): entry is string => typeof entry === 'string' && entry.trim().length > 0).slice(0, MAX_PROMPT_HISTORY);
  }

  /** Moves (or adds) a prompt to the front and saves. */
  async add(prompt: string): Promise<readonly string[]> {
    const entry = prompt.trim();
    if (entry.length === 0) {
      return this.entries();
    }
    const entries = [entry, ...this.entries().filter((existing) => existing !== entry)].slice(0, MAX_PROMPT_HISTORY);
    await this.store.save(entries);
    return entries;
  }
}
