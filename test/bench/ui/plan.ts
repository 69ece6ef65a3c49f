import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchTarget, TypingPosition } from '../completion/corpus';

/**
 * What bench:ui types: bench:completion's targets and positions (the same held-out files, lines
 * and starting columns), typed one character at a time, with pauses after some keystrokes. Each
 * pause is one of bench:completion's requests (the line typed up to `typed` characters, the rest
 * of the line gone), so the two benchmarks' figures for it compare.
 */

export interface PlannedPosition {
  readonly target: number;
  readonly position: number;
  readonly at: TypingPosition;
  /** 1-based line number in the file. */
  readonly lineNumber: number;
  /** The line's characters typed in order: from typedAtStart to `last`. */
  readonly last: number;
  /** Values of `typed` (characters of the line before the cursor) after which the typist pauses. */
  readonly pauses: readonly number[];
}

export interface PlannedTarget {
  readonly target: BenchTarget;
  /** Path of the file in the bench workspace (a folder per target keeps equal paths apart). */
  readonly file: string;
  readonly siblings: readonly string[];
  readonly positions: readonly PlannedPosition[];
}

/** Folder of target `index` in the workspace. */
function folderOf(index: number): string {
  return `t${String(index + 1).padStart(2, '0')}`;
}

/**
 * Pauses: after the position's last keystroke always, and after one keystroke drawn in between
 * when there is room, so a pause comes both early and late in a line. `keystrokes` is
 * bench:completion's: its requests for a position are at typed = typedAtStart .. last.
 */
export function planTargets(targets: readonly BenchTarget[], keystrokes: number, random: () => number): PlannedTarget[] {
  return targets.map((target, targetIndex) => {
    const folder = folderOf(targetIndex);
    const positions = target.positions.map((at, positionIndex) => {
      const last = Math.min(at.line.length - 1, at.typedAtStart + keystrokes - 1);
      const pauses = new Set<number>();
      if (last - at.typedAtStart >= 2) {
        pauses.add(at.typedAtStart + 1 + Math.floor(random() * (last - at.typedAtStart - 1)));
      }
      if (last > at.typedAtStart) pauses.add(last);
      const lineNumber = target.file.text.slice(0, at.lineStart).split('\n').length;
      return { target: targetIndex, position: positionIndex, at, lineNumber, last, pauses: [...pauses].sort((a, b) => a - b) };
    });
    return {
      target,
      file: `${folder}/${target.file.path}`,
      siblings: target.siblings.map((sibling) => `${folder}/${sibling.path}`),
      positions,
    };
  });
}

/** Writes every target and its open siblings into the workspace, as they are in the corpus. */
export function writeWorkspace(workspace: string, planned: readonly PlannedTarget[]): void {
  for (const { target, file, siblings } of planned) {
    const texts = [{ file, text: target.file.text }, ...siblings.map((sibling, index) => ({ file: sibling, text: target.siblings[index].text }))];
    for (const { file: relative, text } of texts) {
      const full = path.join(workspace, relative);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
  }
}
