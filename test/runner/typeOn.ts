/**
 * Typing on after a suggestion is shown: the user types the first characters of the ghost text.
 * Each frame the editor drew since is judged against the suggestion seen before the first key:
 *   consistent  the ghost text is the rest of the earlier one past what is now typed
 *   updated     another suggestion (the provider answered anew)
 *   stale       the rest of the earlier suggestion past fewer characters than are typed: text
 *               the user has already typed is shown again as ghost text
 *   blank       no ghost text (a gap, or the end state if it lasts)
 * Frames whose cursor line is not the line before plus a prefix of the suggestion (the editor
 * between two renders, auto-closed brackets) are not judged.
 */
import type { GhostFrame } from './ghostTextPage';

export type FrameVerdict = 'consistent' | 'updated' | 'stale' | 'blank';

export interface JudgedFrame {
  readonly frame: GhostFrame;
  /** Characters of the suggestion the cursor line shows as typed. */
  readonly typed: number;
  readonly verdict: FrameVerdict;
}

export interface TypeOnReport {
  readonly judged: readonly JudgedFrame[];
  /** Frames that could not be matched to a number of typed characters. */
  readonly unjudged: number;
  readonly stale: readonly JudgedFrame[];
  /** The ghost text shown at the end, when the editor had settled. */
  readonly final: string;
  /** Consistent at the end (the rest of the first suggestion) or updated; never blank or stale. */
  readonly ok: boolean;
}

/**
 * How many characters of `suggestion` the line shows typed after `lineBefore`'s cursor, or
 * undefined when the line is not lineBefore with a prefix of the suggestion inserted at `column`.
 */
export function typedCount(lineBefore: string, column: number, suggestion: string, line: string): number | undefined {
  const head = lineBefore.slice(0, column);
  const tail = lineBefore.slice(column);
  if (!line.startsWith(head) || !line.endsWith(tail) || line.length < lineBefore.length) {
    return undefined;
  }
  const inserted = line.slice(head.length, line.length - tail.length);
  return suggestion.startsWith(inserted) ? inserted.length : undefined;
}

export function judgeFrame(suggestion: string, typed: number, ghost: string): FrameVerdict {
  if (ghost.length === 0) {
    return 'blank';
  }
  if (ghost === suggestion.slice(typed)) {
    return 'consistent';
  }
  for (let earlier = 0; earlier < typed; earlier++) {
    if (ghost === suggestion.slice(earlier)) {
      return 'stale';
    }
  }
  return 'updated';
}

/**
 * Judges the frames recorded from the first typed key on. `column` is the cursor's offset in
 * `lineBefore` (the cursor line when `suggestion` was shown); `final` is the frame once settled.
 */
export function judgeTypeOn(lineBefore: string, column: number, suggestion: string, frames: readonly GhostFrame[], final: GhostFrame): TypeOnReport {
  const judged: JudgedFrame[] = [];
  let unjudged = 0;
  for (const frame of frames) {
    const typed = typedCount(lineBefore, column, suggestion, frame.line);
    if (typed === undefined) {
      unjudged++;
      continue;
    }
    judged.push({ frame, typed, verdict: judgeFrame(suggestion, typed, frame.text) });
  }
  const stale = judged.filter((entry) => entry.verdict === 'stale');
  const finalTyped = typedCount(lineBefore, column, suggestion, final.line);
  const finalVerdict = finalTyped === undefined ? undefined : judgeFrame(suggestion, finalTyped, final.text);
  const ok = stale.length === 0 && (finalVerdict === 'consistent' || finalVerdict === 'updated');
  return { judged, unjudged, stale, final: final.text, ok };
}
