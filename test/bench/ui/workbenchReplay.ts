import type { Page } from 'playwright-core';
import { framesSince, type GhostFrame, goTo, lastKey, openFile, pageNow, statusBar } from '../../runner/ghostTextPage';
import type { Pace } from '../../runner/humanTyping';
import type { PlannedPosition, PlannedTarget } from './plan';

/**
 * Replays a plan in the workbench: for each position the cursor goes to the line, the rest of the
 * line is deleted, and after a settle (the user placing the cursor; the extension prefills ahead)
 * the line's characters are typed at a person's pace. At each planned pause the typist stops for
 * `pauseMs`; what the editor drew meanwhile is read from the page's recorder. Then the line is
 * put back as it was, so every position starts from the file's text like bench:completion's.
 */

export interface PauseRecord {
  readonly target: number;
  readonly file: string;
  readonly lineNumber: number;
  /** Offset of the line in the file (bench:completion's key for it). */
  readonly lineStart: number;
  readonly typedAtStart: number;
  /** Characters of the line before the cursor at the pause (bench:completion's request). */
  readonly typed: number;
  readonly expected: string;
  /** The cursor line as drawn at the end of the pause (auto-closed brackets included). */
  readonly domLine: string;
  /** The drawn line does not start with the line's first `typed` characters (the editor changed what was typed). */
  readonly diverged: boolean;
  /** What the editor put after the cursor on its line (auto-closed brackets and quotes); bench:completion's request has nothing there. */
  readonly afterCursor: string;
  /** Epoch ms of the last key's keydown (page clock + timeOrigin). */
  readonly keyEpochMs: number;
  /** Milliseconds between the keys typed since the position's start or the previous pause, as the page saw them. */
  readonly keyGapsMs: readonly number[];
  readonly ghostBefore: string;
  /** First frame with ghost text after the key: ms after the keydown, or null. */
  readonly latencyMs: number | null;
  /** That ghost text was the rest of the one shown before the key (typed through it). */
  readonly carried: boolean;
  readonly firstGhost: string;
  readonly ghostAtEnd: string;
  /** Times the ghost text went blank after being shown, within the pause. */
  readonly blanks: number;
  readonly frames: readonly { readonly ms: number; readonly text: string }[];
  /** The status bar's 'Last latency' at the end of the pause (the provider's figure, debounce excluded). */
  readonly statusLastLatencyMs: number | null;
}

export interface ReplayOptions {
  readonly pace: Pace;
  readonly pauseMs: number;
  /** Wait after placing the cursor before typing (a prefill ahead starts after 400 ms). */
  readonly settleMs: number;
  readonly timeOrigin: number;
  readonly onRecord: (record: PauseRecord) => void;
  readonly log: (line: string) => void;
}

async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.insertText(label);
  const row = `.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(label)}]`;
  await page.waitForSelector(row, { timeout: 30_000 });
  await page.click(row);
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 30_000 });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Key presses never Tab: a tab character is inserted as text, so it cannot accept a suggestion. */
async function typeCharacter(page: Page, character: string): Promise<void> {
  if (character === '\t') await page.keyboard.insertText(character);
  else await page.keyboard.type(character);
}

export async function replayTarget(page: Page, planned: PlannedTarget, options: ReplayOptions): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  for (const sibling of planned.siblings) await openFile(page, sibling);
  await openFile(page, planned.file);
  for (const position of planned.positions) {
    if (position.pauses.length > 0) await replayPosition(page, planned, position, options);
  }
  await runCommand(page, 'File: Revert File');
}

async function replayPosition(page: Page, planned: PlannedTarget, position: PlannedPosition, options: ReplayOptions): Promise<void> {
  const { at } = position;
  await goTo(page, position.lineNumber, at.typedAtStart + 1);
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  // No Escape: it would stop the generation the deletion started, which warms the KV cache.
  await wait(options.settleMs);
  // Keys typed since the position's start or the last pause: their gaps are the typing pace.
  let typingSince = await pageNow(page);
  // The delay runs from the previous key, the page's round trips included, so the pace is the one drawn.
  let previousKey = performance.now();
  for (let typed = at.typedAtStart + 1; typed <= position.last; typed++) {
    const delay = options.pace.minMs + options.pace.random() * (options.pace.maxMs - options.pace.minMs);
    await wait(previousKey + delay - performance.now());
    previousKey = performance.now();
    await typeCharacter(page, at.line[typed - 1]);
    if (position.pauses.includes(typed)) {
      options.onRecord(await measurePause(page, planned, position, typed, typingSince, options));
      typingSince = await pageNow(page);
      previousKey = performance.now();
    }
  }
  // Back to the file's line: replace what follows the indentation (typed text, auto-closed brackets).
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.insertText(at.line.trimStart());
  await page.keyboard.press('Escape');
}

async function measurePause(
  page: Page,
  planned: PlannedTarget,
  position: PlannedPosition,
  typed: number,
  typingSince: number,
  options: ReplayOptions,
): Promise<PauseRecord> {
  const keyAt = (await lastKey(page)).at;
  // What the editor showed when the key went down.
  const before = (await page.evaluate(`window.ghostFrames.filter((frame) => frame.at < ${keyAt}).at(-1)`)) as GhostFrame | undefined;
  await wait(options.pauseMs - ((await pageNow(page)) - keyAt));
  const frames = (await framesSince(page, keyAt)).filter((frame) => frame.at <= keyAt + options.pauseMs);
  const keys = (await page.evaluate(`window.keyLog.filter((key) => key.at >= ${typingSince}).map((key) => key.at)`)) as number[];
  const ghostBefore = before?.text ?? '';
  const relativeFrames = frames.map((frame) => ({ ms: Math.round(frame.at - keyAt), text: frame.text })).filter((frame, index, all) => index === 0 || frame.text !== all[index - 1].text);
  const shown = firstShown(relativeFrames, ghostBefore);
  let blanks = 0;
  for (let index = 1; index < frames.length; index++) {
    if (frames[index].text.length === 0 && frames[index - 1].text.length > 0) blanks++;
  }
  const end = frames.at(-1) ?? before;
  const domLine = end?.line ?? '';
  const intended = position.at.line.slice(0, typed);
  const drawnTyped = intended.trimStart().replace(/\t/g, ' ');
  const drawn = domLine.trimStart();
  const lastLatency = /Last latency: (\d+) ms/.exec(await statusBar(page));
  return {
    target: position.target,
    file: planned.file,
    lineNumber: position.lineNumber,
    lineStart: position.at.lineStart,
    typedAtStart: position.at.typedAtStart,
    typed,
    expected: position.at.line.slice(typed).trim(),
    domLine,
    diverged: !drawn.startsWith(drawnTyped),
    afterCursor: drawn.startsWith(drawnTyped) ? drawn.slice(drawnTyped.length) : '',
    keyEpochMs: options.timeOrigin + keyAt,
    keyGapsMs: keys.slice(1).map((at, index) => Math.round(at - keys[index])),
    ghostBefore,
    ...shown,
    ghostAtEnd: end?.text ?? '',
    blanks,
    frames: relativeFrames,
    statusLastLatencyMs: lastLatency ? Number(lastLatency[1]) : null,
  };
}

/** Ghost text shown for less than this, then blank, is a leftover the editor is taking down, not an answer. */
const MIN_VISIBLE_MS = 50;

/**
 * The first ghost text the key brought: frames (ms after the keydown) that still show the ghost
 * text of before the key, unchanged, are its leftover; ghost text the editor blanks within
 * MIN_VISIBLE_MS (the first line of an earlier multi-line suggestion, or an answer for the state
 * before the key drawn just as it went down) was never there for the user. Typed through: the
 * first frame shows the earlier ghost text less the typed character (one character a key).
 */
export function firstShown(
  frames: readonly { readonly ms: number; readonly text: string }[],
  ghostBefore: string,
): { latencyMs: number | null; carried: boolean; firstGhost: string } {
  let start = 0;
  while (ghostBefore.length > 0 && start < frames.length && frames[start].text === ghostBefore) start++;
  const visible = (index: number) => {
    const next = frames[index + 1];
    return frames[index].text.length > 0 && (next === undefined || next.text.length > 0 || next.ms - frames[index].ms >= MIN_VISIBLE_MS);
  };
  const index = frames.findIndex((_frame, at) => at >= start && visible(at));
  const first = index < 0 ? undefined : frames[index];
  const carried = first !== undefined && index === 0 && ghostBefore.length > 0 && first.text === ghostBefore.slice(1);
  return { latencyMs: first ? first.ms : null, carried, firstGhost: first?.text ?? '' };
}
