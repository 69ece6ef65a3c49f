import type { SourceText } from './types';
import { setMostRecent } from './recentMap';
import type { TimeSlicer } from './timeSlicer';
import { withoutBidiControls } from './unsafeText';

/**
 * Sliding windows of lines over the files that may lend few-shot examples, each with its set of
 * identifiers, cached per file so that a keystroke never re-splits an unchanged file.
 */

export const WINDOW_LINES = 12;
export const WINDOW_STRIDE_LINES = 6;
/** Only the start of a large file is indexed: scanning stays bounded however big it is. */
export const MAX_INDEXED_CHARS = 200_000;
/** Lines longer than this are cut inside a window. */
const MAX_LINE_CHARS = 200;
/** Files whose windows are kept; the least recently used are dropped first. */
const MAX_CACHED_FILES = 64;

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** Identifiers this short carry too little meaning to compare files by. */
const MIN_IDENTIFIER_CHARS = 2;

export interface IndexedWindow {
  readonly startLine: number;
  readonly text: string;
  readonly identifiers: ReadonlySet<string>;
}

export function identifiersOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(IDENTIFIER)) {
    if (match[0].length >= MIN_IDENTIFIER_CHARS) {
      found.add(match[0]);
    }
  }
  return found;
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two identifier sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) {
    return 0;
  }
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) {
    if (large.has(item)) {
      shared++;
    }
  }
  return shared / (a.size + b.size - shared);
}

export function slidingWindows(text: string): IndexedWindow[] {
  const windows: IndexedWindow[] = [];
  for (const window of windowTexts(text)) {
    windows.push({ ...window, identifiers: identifiersOf(window.text) });
  }
  return windows;
}

/** Windows of a text's start, bidirectional controls removed (a snippet must not teach the model to copy them). */
function* windowTexts(text: string): Generator<{ startLine: number; text: string }> {
  const lines = withoutBidiControls(text.slice(0, MAX_INDEXED_CHARS)).split('\n').map((line) => line.slice(0, MAX_LINE_CHARS));
  for (let start = 0; start < lines.length; start += WINDOW_STRIDE_LINES) {
    const windowText = lines.slice(start, start + WINDOW_LINES).join('\n').trimEnd();
    if (windowText.trim().length > 0) {
      yield { startLine: start, text: windowText };
    }
    if (start + WINDOW_LINES >= lines.length) {
      break;
    }
  }
}

/**
 * The same windows as slidingWindows, built in time slices, reusing the identifier sets of the
 * windows an earlier text of the file had: an edit re-reads only the windows it changed.
 */
async function slidingWindowsSliced(text: string, previous: readonly IndexedWindow[], slicer: TimeSlicer): Promise<IndexedWindow[]> {
  const known = new Map(previous.map((window) => [window.text, window.identifiers]));
  const windows: IndexedWindow[] = [];
  for (const window of windowTexts(text)) {
    windows.push({ ...window, identifiers: known.get(window.text) ?? identifiersOf(window.text) });
    await slicer.checkpoint();
  }
  return windows;
}

export class SnippetIndex {
  private readonly files = new Map<string, { text: string; windows: IndexedWindow[] }>();

  /** The windows of a source, from the cache while its text is unchanged. */
  windowsOf(source: SourceText, key = source.path): readonly IndexedWindow[] {
    const cached = this.files.get(key);
    if (cached && cached.text === source.text) {
      this.files.delete(key);
      this.files.set(key, cached);
      return cached.windows;
    }
    const entry = { text: source.text, windows: slidingWindows(source.text) };
    setMostRecent(this.files, key, entry, MAX_CACHED_FILES);
    return entry.windows;
  }

  /** windowsOf in time slices; an edited file reuses what its earlier text's windows computed. */
  async windowsOfSliced(source: SourceText, key: string, slicer: TimeSlicer): Promise<readonly IndexedWindow[]> {
    const cached = this.files.get(key);
    if (cached && cached.text === source.text) {
      return this.windowsOf(source, key);
    }
    const entry = { text: source.text, windows: await slidingWindowsSliced(source.text, cached?.windows ?? [], slicer) };
    setMostRecent(this.files, key, entry, MAX_CACHED_FILES);
    return entry.windows;
  }

  get cachedFiles(): number {
    return this.files.size;
  }
}
