import { keyString, type RequestKey, requestKeyOf, typedSince } from './requestKey';
import type { CompletionRequest } from './types';
import { setMostRecent } from './recentMap';

/**
 * An LRU of finished suggestions keyed by the prefix (and file, mode, suffix start, and the rest
 * of what changes the answer: language, other open files, recent edits, the `variant` the caller
 * passes, see requestKey.ts). A request
 * whose prefix extends a cached one by exactly the characters that suggestion predicted gets the
 * rest of it: the user is typing through the suggestion.
 */

export const DEFAULT_CACHE_ENTRIES = 128;

interface Entry {
  readonly key: RequestKey;
  readonly completion: string;
}

export class CompletionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = DEFAULT_CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  set(request: CompletionRequest, completion: string, variant = ''): void {
    const key = requestKeyOf(request, variant);
    const id = keyString(key);
    setMostRecent(this.entries, id, { key, completion }, this.capacity);
  }

  /** The suggestion for exactly this request, or the rest of one the user is typing through. */
  get(request: CompletionRequest, variant = ''): string | undefined {
    const key = requestKeyOf(request, variant);
    const id = keyString(key);
    const exact = this.entries.get(id);
    if (exact) {
      this.touch(id, exact);
      return exact.completion;
    }
    return this.typedThrough(request, key.context);
  }

  private typedThrough(request: CompletionRequest, context: string): string | undefined {
    for (const [id, entry] of [...this.entries].reverse()) {
      const typed = typedSince(entry.key, request, context);
      if (typed !== undefined && typed.length < entry.completion.length && entry.completion.startsWith(typed)) {
        this.touch(id, entry);
        return entry.completion.slice(typed.length);
      }
    }
    return undefined;
  }

  private touch(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
  }
}
