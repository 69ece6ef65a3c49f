import { setMostRecent } from './recentMap';
import type { CompletionRequest, SourceText } from './types';

/**
 * What identifies a request for reuse: file, requested mode, the end of the prefix (with the
 * prefix's full length) and the start of the suffix, and everything else that changes the answer:
 * the language, the other open files and the recent edits (snippets and the n-gram cache come
 * from them), and whatever the caller adds (the pipeline's options). Only short copies are kept,
 * never the request's strings, which may be slices that hold a whole 10 MB document in memory.
 */

/** Characters of the prefix's end compared when matching requests. */
export const PREFIX_KEY_CHARS = 2048;
/** Characters of the suffix's start compared when matching requests. */
export const SUFFIX_KEY_CHARS = 256;

export interface RequestKey {
  readonly path: string;
  readonly mode: CompletionRequest['mode'];
  /** Document offset of the cursor. */
  readonly cursor: number;
  readonly prefixTail: string;
  readonly suffixHead: string;
  /** Language, open files and recent edits (by content hash) and the caller's variant. */
  readonly context: string;
}

/** `variant`: anything else the answer depends on, such as the pipeline's options. */
export function requestKeyOf(request: CompletionRequest, variant = ''): RequestKey {
  return {
    path: request.path,
    mode: request.mode,
    cursor: cursorOf(request),
    prefixTail: detached(request.prefix.slice(-PREFIX_KEY_CHARS)),
    suffixHead: detached(request.suffix.slice(0, SUFFIX_KEY_CHARS)),
    context: contextOf(request, variant),
  };
}

export function keyString(key: RequestKey): string {
  return [key.path, key.mode, key.cursor, key.prefixTail, key.suffixHead, key.context].join('\u0000');
}

/**
 * The request's inputs besides the current file, as a short string: its language, the other open
 * files and the recent edits by path and content hash, and the variant. The current file listed
 * among the open files is left out, as the pipeline leaves it out (it changes at every keystroke).
 */
export function contextOf(request: CompletionRequest, variant = ''): string {
  const parts = [request.languageId, variant];
  for (const file of request.openFiles) {
    if (file.path !== request.path) {
      parts.push(`o${file.path}:${sourceHash(`o\u0000${file.path}`, file)}`);
    }
  }
  (request.recentEdits ?? []).forEach((edit, index) => parts.push(`e${edit.path}:${sourceHash(`e\u0000${index}\u0000${edit.path}`, edit)}`));
  return parts.join('\u0001');
}

/** Hashes of the texts last seen per source, so an unchanged open file is not hashed at each keystroke. */
const sourceHashes = new Map<string, { text: string; hash: string }>();
const MAX_HASHED_SOURCES = 128;

function sourceHash(id: string, source: SourceText): string {
  const known = sourceHashes.get(id);
  if (known && known.text === source.text) {
    return known.hash;
  }
  const hash = `${source.text.length}.${cyrb53(source.text).toString(36)}`;
  setMostRecent(sourceHashes, id, { text: source.text, hash }, MAX_HASHED_SOURCES);
  return hash;
}

/** cyrb53 (public domain): a fast 53-bit string hash, collisions about 1 in 2^53. */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function cursorOf(request: CompletionRequest): number {
  return (request.prefixOffset ?? 0) + request.prefix.length;
}

/**
 * The text typed since `earlier` when `later` is the same place with more typed before the
 * cursor, else undefined.
 */
export function typedSince(earlier: RequestKey, later: CompletionRequest, laterContext: string): string | undefined {
  const laterStart = later.prefixOffset ?? 0;
  // Where the earlier cursor falls in the later prefix, which may be clipped differently.
  const cursor = earlier.cursor - laterStart;
  if (cursor < 0 || cursor >= later.prefix.length || earlier.path !== later.path || earlier.mode !== later.mode) {
    return undefined;
  }
  if (later.suffix.slice(0, SUFFIX_KEY_CHARS) !== earlier.suffixHead || laterContext !== earlier.context) {
    return undefined;
  }
  const tailStart = Math.max(0, cursor - earlier.prefixTail.length);
  if (later.prefix.slice(tailStart, cursor) !== earlier.prefixTail.slice(earlier.prefixTail.length - (cursor - tailStart))) {
    return undefined;
  }
  return later.prefix.slice(cursor);
}

/** A flat copy of a short string, so it does not keep a larger parent string alive. */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
