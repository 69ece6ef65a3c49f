/**
 * What the n-gram cache should hold, as changes to what it holds already. The completion core
 * says before each request which documents are open (current file first, then other open files,
 * then recent edits); this turns that list into keyed documents within the memory budget and
 * into the few changes since the previous list, so an unchanged file is neither re-sent to the
 * worker nor re-tokenized. Plain data: the worker client computes it on the host side and sends
 * it as one message, the in-process engine applies it directly.
 */
import { refusalReason } from '../../core/completion/sourceFilter';

export interface CacheDocument {
  readonly path: string;
  readonly text: string;
}

export interface NgramDocumentChanges {
  /** Documents to add or replace, by key. */
  readonly set: readonly { readonly key: string; readonly text: string }[];
  /** Keys of documents to drop. */
  readonly remove: readonly string[];
}

/**
 * Characters all documents together may hold (3-4 characters a token, about 16 bytes of ids and
 * index a token: some 10 MB with the texts): documents past it are left out, the least important
 * ones first.
 */
export const DEFAULT_MAX_CACHE_CHARS = 2_000_000;

/**
 * Keys by path; a path listed again (a recent edit of an open file) gets a numbered key. The
 * core's source filter runs here too, whoever lists the documents: secret-looking paths and
 * huge, binary or minified texts never reach the cache.
 */
export function keyedDocuments(documents: readonly CacheDocument[], maxChars: number = DEFAULT_MAX_CACHE_CHARS): Map<string, string> {
  const keyed = new Map<string, string>();
  const seen = new Map<string, number>();
  let chars = 0;
  for (const document of documents) {
    const occurrence = seen.get(document.path) ?? 0;
    seen.set(document.path, occurrence + 1);
    if (chars + document.text.length > maxChars || refusalReason(document) !== undefined) {
      continue;
    }
    chars += document.text.length;
    keyed.set(occurrence === 0 ? document.path : `${document.path}#${occurrence}`, document.text);
  }
  return keyed;
}

/** Remembers what was last applied, and answers the changes that make it `documents`. */
export class DocumentChangeTracker {
  private applied = new Map<string, string>();

  constructor(private readonly maxChars: number = DEFAULT_MAX_CACHE_CHARS) {}

  changes(documents: readonly CacheDocument[]): NgramDocumentChanges {
    const wanted = keyedDocuments(documents, this.maxChars);
    const set = [...wanted].filter(([key, text]) => this.applied.get(key) !== text).map(([key, text]) => ({ key, text }));
    const remove = [...this.applied.keys()].filter((key) => !wanted.has(key));
    this.applied = wanted;
    return { set, remove };
  }

  /** Forgets what was applied (the worker restarted with an empty cache). */
  reset(): void {
    this.applied.clear();
  }
}

export function isEmptyChange(changes: NgramDocumentChanges): boolean {
  return changes.set.length === 0 && changes.remove.length === 0;
}
