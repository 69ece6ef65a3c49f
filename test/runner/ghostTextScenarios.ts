/**
 * What the UI test types, in the demo workspace, with the shipped settings and model: TypeScript
 * and JavaScript, the cursor at the end of a line and in the middle of one with text after it,
 * typing on through a shown suggestion, and accepting one with Tab.
 */
import type { Page } from 'playwright-core';
import {
  currentFrame,
  cursorLineWithGhost,
  framesSince,
  type GhostFrame,
  goTo,
  lastKey,
  openFile,
  pageNow,
  waitUntilQuiet,
} from './ghostTextPage';
import { type Pace, pressHuman, typeHuman } from './humanTyping';
import { judgeTypeOn, type TypeOnReport } from './typeOn';

/** A key press ({ key }), text typed key by key ({ text }), or Go to Line ({ goTo: [line, column] }). */
export type Step = { readonly key: string } | { readonly text: string } | { readonly goTo: readonly [number, number] };

export interface Scenario {
  readonly name: string;
  /** Path in the workspace. */
  readonly file: string;
  /** Puts the cursor in place (not timed, no suggestion awaited). */
  readonly setup: readonly Step[];
  /** Typed at a person's pace; the ghost text is awaited after the last key. */
  readonly typed: readonly Step[];
  /** The text after the cursor on its line, when the cursor is in the middle of one. */
  readonly after?: string;
  /** Type the first characters of the suggestion and judge what the editor shows (typeOn.ts). */
  readonly typeOn?: boolean;
  /** Accept the suggestion with Tab. */
  readonly accept?: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'javascript, end of line, typing on',
    file: 'src/todo.js',
    setup: [{ key: 'Control+End' }, { key: 'Enter' }, { key: 'Enter' }],
    typed: [{ text: 'function isDone(item) {' }, { key: 'Enter' }, { text: 'return item' }],
    typeOn: true,
  },
  {
    name: 'javascript, middle of line',
    file: 'src/todo.js',
    // Line 8 is `  return list.filter((todo) => !todo.done);`: `(todo) => ` goes, `(t` is typed.
    setup: [{ goTo: [8, 22] }, ...Array<Step>(10).fill({ key: 'Shift+ArrowRight' }), { key: 'Delete' }],
    typed: [{ text: '(t' }],
    after: '!todo.done);',
  },
  {
    name: 'typescript, end of line, accepted with Tab',
    file: 'src/shapes.ts',
    setup: [{ key: 'Control+End' }, { key: 'Enter' }, { key: 'Enter' }],
    typed: [{ text: 'export function area(points: Point[]): number {' }, { key: 'Enter' }, { text: 'let total = ' }],
    accept: true,
  },
  {
    name: 'typescript, middle of line (auto-closed bracket after the cursor), typing on',
    file: 'src/shapes.ts',
    setup: [{ key: 'End' }],
    typed: [{ key: 'Enter' }, { text: 'for (let i = 0; i < ' }],
    after: ')',
    typeOn: true,
  },
];

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly problems: string[];
  /** Ghost text over time after the last key (ms since it). */
  readonly frames: readonly { atMs: number; text: string }[];
  readonly suggestion: string;
  readonly typeOn?: TypeOnReport;
}

/** How long the ghost text must not change to count as settled. */
const SETTLED_MS = 1500;
/** Liveness bound, not a latency check: ghost text that has not come by then is not coming. */
const APPEAR_TIMEOUT_MS = 60_000;

async function runSteps(page: Page, steps: readonly Step[], pace: Pace | undefined): Promise<void> {
  for (const step of steps) {
    if ('goTo' in step) await goTo(page, step.goTo[0], step.goTo[1]);
    else if ('key' in step) await (pace ? pressHuman(page, step.key, pace) : page.keyboard.press(step.key));
    else if (pace) await typeHuman(page, step.text, pace);
    else await page.keyboard.type(step.text);
  }
}

async function ghostAppears(page: Page): Promise<boolean> {
  return page.waitForFunction('window.readGhostText().trim().length > 0', undefined, { timeout: APPEAR_TIMEOUT_MS, polling: 50 }).then(
    () => true,
    () => false,
  );
}

export async function runScenario(page: Page, scenario: Scenario, pace: Pace, onSettled?: () => Promise<void>): Promise<ScenarioResult> {
  const problems: string[] = [];
  await openFile(page, scenario.file);
  await runSteps(page, scenario.setup, undefined);
  await runSteps(page, scenario.typed, pace);
  const keyAt = (await lastKey(page)).at;
  if (!(await ghostAppears(page))) {
    return { scenario, problems: ['no ghost text appeared after the last key'], frames: await relative(page, keyAt), suggestion: '' };
  }
  await waitUntilQuiet(page, keyAt, SETTLED_MS, APPEAR_TIMEOUT_MS);
  const shown = await currentFrame(page);
  const frames = await relative(page, keyAt);
  await onSettled?.();
  if (shown.text.length === 0) {
    problems.push('the ghost text went away before it settled');
  }
  const after = scenario.after ?? '';
  if (!shown.line.endsWith(after)) {
    problems.push(`the cursor line ${JSON.stringify(shown.line)} does not end with ${JSON.stringify(after)}`);
  } else if (after.length > 0) {
    // In the middle of a line the ghost text is drawn at the cursor, before the text after it.
    const drawn = await cursorLineWithGhost(page);
    const expected = shown.line.slice(0, shown.line.length - after.length) + shown.text.split('\n')[0] + after;
    if (drawn !== expected) problems.push(`the line is drawn as ${JSON.stringify(drawn)}, not ${JSON.stringify(expected)}`);
  }
  let typeOn: TypeOnReport | undefined;
  if (scenario.typeOn && shown.text.length > 0) {
    typeOn = await typeOnSuggestion(page, shown, shown.line.length - after.length, pace);
    if (!typeOn.ok) {
      problems.push(`typing on: ${typeOn.stale.length} stale frame(s), ghost text at the end ${JSON.stringify(typeOn.final)}`);
    }
  }
  if (scenario.accept) {
    const firstLine = shown.text.split('\n')[0];
    await page.keyboard.press('Tab');
    const accepted = await page
      .waitForFunction(`window.cursorLineText().includes(${JSON.stringify(shown.line + firstLine)})`, undefined, { timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (!accepted) problems.push(`Tab did not put ${JSON.stringify(firstLine)} into the line`);
  }
  await page.keyboard.press('Escape');
  return { scenario, problems, frames, suggestion: shown.text, typeOn };
}

/** Types up to 3 characters of the suggestion's first line (never all of it) and judges the frames. */
async function typeOnSuggestion(page: Page, shown: GhostFrame, column: number, pace: Pace): Promise<TypeOnReport> {
  const firstLine = shown.text.split('\n')[0];
  const count = Math.min(3, firstLine.length - 1);
  const since = await pageNow(page);
  await typeHuman(page, firstLine.slice(0, Math.max(count, 1)), pace);
  // A blank end state is only judged once the liveness bound has passed without ghost text.
  await ghostAppears(page);
  const frames = await waitUntilQuiet(page, since, SETTLED_MS, APPEAR_TIMEOUT_MS);
  return judgeTypeOn(shown.line, column, shown.text, frames, await currentFrame(page));
}

/** The changes of the ghost text since `since` (frames where only the line changed are left out). */
async function relative(page: Page, since: number): Promise<{ atMs: number; text: string }[]> {
  const frames = await framesSince(page, since);
  return frames
    .filter((frame, index) => index === 0 || frame.text !== frames[index - 1].text)
    .map((frame) => ({ atMs: Math.round(frame.at - since), text: frame.text }));
}
