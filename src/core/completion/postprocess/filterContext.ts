import { currentLinePrefix, currentLineSuffix } from '../completionMode';
import type { CompletionMode } from '../types';

/** What every post-filter knows about the cursor; filters return the kept completion ('' drops it). */
export interface FilterContext {
  /** The prefix window (text before the cursor). */
  readonly prefix: string;
  /** The suffix window (text after the cursor). */
  readonly suffix: string;
  readonly mode: CompletionMode;
  readonly maxLines: number;
  /** False while streaming: the completion may still grow, so rules about its end wait. */
  readonly final: boolean;
  /** The prefix window starts at the file's start, so it shows every bracket open at the cursor. */
  readonly wholePrefix?: boolean;
  /**
   * The text the user has in front of them: the current document as the request carries it (and
   * for a command its instruction), never other files. Invisible and confusable characters may
   * appear in a completion only in classes this already holds (see stopAtUnsafeChars). Default:
   * the prefix and suffix windows.
   */
  readonly trustedText?: readonly string[];
}

export type CompletionFilter = (completion: string, context: FilterContext) => string;

export function linePrefixOf(context: FilterContext): string {
  return currentLinePrefix(context.prefix);
}

export function lineSuffixOf(context: FilterContext): string {
  return currentLineSuffix(context.suffix);
}

export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** The completion up to (not including) line `index`, without the newline before it. */
export function keepLines(lines: readonly string[], count: number): string {
  return lines.slice(0, count).join('\n');
}
