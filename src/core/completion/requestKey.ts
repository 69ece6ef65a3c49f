import type { CompletionRequest } from './types';

/**
 * What identifies a request for reuse: file, requested mode, the end of the prefix (with the
 * prefix's full length) and the start of the suffix. Only short copies are kept, never the
 * request's strings, which may be slices that hold a whole 10 MB document in memory.
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
}

export function requestKeyOf(request: CompletionRequest): RequestKey {
  return {
    path: request.path,
    mode: request.mode,
    cursor: cursorOf(request),
    prefixTail: detached(request.prefix.slice(-PREFIX_KEY_CHARS)),
    suffixHead: detached(request.suffix.slice(0, SUFFIX_KEY_CHARS)),
  };
}

export function keyString(key: RequestKey): string {
  return [key.path, key.mode, key.cursor, key.prefixTail, key.suffixHead].join('\u0000');
}

function cursorOf(request: CompletionRequest): number {
  return (request.prefixOffset ?? 0) + request.prefix.length;
}

/**
 * The text typed since `earlier` when `later` is the same place with more typed before the
 * cursor, else undefined.
 */
export function typedSince(earlier: RequestKey, later: CompletionRequest): string | undefined {
  const laterStart = later.prefixOffset ?? 0;
  // Where the earlier cursor falls in the later prefix, which may be clipped differently.
  const cursor = earlier.cursor - laterStart;
  if (cursor < 0 || cursor >= later.prefix.length || earlier.path !== later.path || earlier.mode !== later.mode) {
    return undefined;
  }
  if (later.suffix.slice(0, SUFFIX_KEY_CHARS) !== earlier.suffixHead) {
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
