import { refusalReason } from './sourceFilter';
import type { SourceText } from './types';

/**
 * How much of the other open files and recent edits a request carries, the same for the extension
 * (src/vscode/documentContext.ts) and the CLI: each file is bounded by the source filter
 * (MAX_SOURCE_CHARS, secrets, binary, minified) and their number by the caps below, so 200 open
 * files of 1 MB cost what 24 cost.
 */

/** Other open documents offered as few-shot sources, at most. */
export const MAX_OPEN_FILES = 24;
/** Edited ranges remembered across all documents. */
export const MAX_RECENT_EDITS = 8;

/**
 * The first `max` sources the source filter accepts, skipping the current file (`exceptPath`) when
 * given: what the extension collects from the editor, applied to a list someone else made.
 */
export function usableSources(sources: readonly SourceText[], max: number, exceptPath?: string): SourceText[] {
  const usable: SourceText[] = [];
  for (const source of sources) {
    if (usable.length >= max) {
      break;
    }
    if (source.path !== exceptPath && refusalReason(source) === undefined) {
      usable.push(source);
    }
  }
  return usable;
}
