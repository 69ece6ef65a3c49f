/**
 * The workbench page as the UI test and bench:ui see it: a recorder that timestamps every change
 * of the ghost text (MutationObserver) and every key (keydown, capture phase), and the editor
 * actions they need (open a file, go to a line, wait for the model).
 */
import type { Page } from 'playwright-core';

/**
 * Ghost text is drawn as an inline decoration on the cursor's line (its first line) and as
 * lines of `span.ghost-text` tokens in a view zone below (the others).
 */
const FIRST_LINE_SELECTOR = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text-decoration-preview';
const MORE_LINES_SELECTOR = '.monaco-editor span.ghost-text';
const GHOST_ANY = `${FIRST_LINE_SELECTOR}, ${MORE_LINES_SELECTOR}`;

/**
 * Runs in the page (plain JavaScript: this project's TypeScript has no DOM types). Defines
 * readGhostText(), the ghost text shown now, line by line, and cursorLineText(), the text of the
 * cursor's line without the ghost text; records each change of either with a timestamp in
 * window.ghostFrames, and each key in window.keyLog (the event's own timestamp, same clock).
 */
export const PAGE_RECORDER = `
  (() => {
    if (window.ghostFrames) return;
    const nbsp = (text) => text.replace(/\\u00a0/g, ' ');
    window.readGhostText = () => {
      const first = Array.from(document.querySelectorAll(${JSON.stringify(FIRST_LINE_SELECTOR)}))
        .map((element) => element.textContent || '').join('');
      const lines = new Set(Array.from(document.querySelectorAll(${JSON.stringify(MORE_LINES_SELECTOR)}))
        .map((span) => span.closest('.view-line') || span.parentElement));
      const more = Array.from(lines).map((line) => line.textContent || '');
      return nbsp([first, ...more].join('\\n').replace(/\\n+$/, ''));
    };
    window.cursorLineText = () => {
      const editor = document.querySelector('.editor-instance .monaco-editor.focused') || document.querySelector('.editor-instance .monaco-editor');
      const cursor = editor && editor.querySelector('.cursors-layer .cursor');
      if (!cursor) return '';
      const line = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((row) => row.style.top === cursor.style.top);
      if (!line) return '';
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest(${JSON.stringify(GHOST_ANY)})) text += node.textContent;
      }
      return nbsp(text);
    };
    window.cursorLineWithGhost = () => {
      const editor = document.querySelector('.editor-instance .monaco-editor.focused') || document.querySelector('.editor-instance .monaco-editor');
      const cursor = editor && editor.querySelector('.cursors-layer .cursor');
      const line = cursor && Array.from(editor.querySelectorAll('.view-lines .view-line')).find((row) => row.style.top === cursor.style.top);
      return line ? nbsp(line.textContent || '') : '';
    };
    const frame = () => ({ at: performance.now(), text: window.readGhostText(), line: window.cursorLineText() });
    window.ghostFrames = [frame()];
    window.keyLog = [];
    window.addEventListener('keydown', (event) => window.keyLog.push({ at: event.timeStamp, key: event.key }), true);
    new MutationObserver(() => {
      const next = frame();
      const last = window.ghostFrames[window.ghostFrames.length - 1];
      if (next.text !== last.text || next.line !== last.line) window.ghostFrames.push(next);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style'] });
  })();
`;

export interface GhostFrame {
  /** performance.now() of the page when the DOM changed. */
  readonly at: number;
  /** The ghost text shown ('' when none), lines joined with \n. */
  readonly text: string;
  /** The cursor's line as the editor draws it, without the ghost text. */
  readonly line: string;
}

export interface KeyEvent {
  readonly at: number;
  readonly key: string;
}

/** The status bar's items as screen readers get them (ours holds the model's state and tooltip). */
export const STATUS_BAR_TEXT = "Array.from(document.querySelectorAll('.statusbar-item')).map((item) => item.getAttribute('aria-label')).join(' | ')";

export async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(PAGE_RECORDER);
}

export async function framesSince(page: Page, since: number): Promise<GhostFrame[]> {
  return (await page.evaluate(`window.ghostFrames.filter((frame) => frame.at >= ${since})`)) as GhostFrame[];
}

/** The last frame recorded (what the editor shows now). */
export async function currentFrame(page: Page): Promise<GhostFrame> {
  return (await page.evaluate('window.ghostFrames[window.ghostFrames.length - 1]')) as GhostFrame;
}

export async function lastKey(page: Page): Promise<KeyEvent> {
  return (await page.evaluate('window.keyLog[window.keyLog.length - 1]')) as KeyEvent;
}

export async function pageNow(page: Page): Promise<number> {
  return (await page.evaluate('performance.now()')) as number;
}

/** performance.timeOrigin: page times plus this are epoch milliseconds (as the extension's log uses). */
export async function pageTimeOrigin(page: Page): Promise<number> {
  return (await page.evaluate('performance.timeOrigin')) as number;
}

/** The cursor's line as drawn, ghost text included where the editor put it. */
export async function cursorLineWithGhost(page: Page): Promise<string> {
  return (await page.evaluate('window.cursorLineWithGhost()')) as string;
}

/** The status bar's text, with its tooltips' Markdown escapes (a backslash before punctuation) undone. */
export async function statusBar(page: Page): Promise<string> {
  return ((await page.evaluate(STATUS_BAR_TEXT)) as string).replace(/\\(\W)/g, '$1');
}

/** Waits until the workbench shows its explorer, then opens a file with Quick Open. */
export async function openFile(page: Page, relativePath: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench .explorer-folders-view', { timeout: 120_000 });
  const slash = relativePath.lastIndexOf('/');
  const name = relativePath.slice(slash + 1);
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: timeoutMs });
  await page.keyboard.insertText(relativePath);
  // A row is labelled "name folder, file results": click the one of this folder, not the first.
  const row = `.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(slash < 0 ? `${name}` : `${name} ${relativePath.slice(0, slash)},`)}]`;
  await page.waitForSelector(row, { timeout: timeoutMs });
  await page.click(row);
  await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${name}"]`, { timeout: timeoutMs });
  await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: timeoutMs });
  // The breadcrumbs show the open file's folders (then the symbol at the cursor, if any).
  const breadcrumbs = "Array.from(document.querySelectorAll('.breadcrumbs-control .monaco-breadcrumb-item')).map((item) => item.textContent).join('/')";
  await page.waitForFunction(`(${breadcrumbs}).includes(${JSON.stringify(relativePath)})`, undefined, { timeout: timeoutMs });
}

/** Go to Line (Ctrl+G) with a 1-based line and column; waits until the editor has focus again. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.insertText(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 30_000 });
  await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: 30_000 });
}

/** Keys typed before the model is loaded get no suggestion (VS Code asks once per edit). */
export async function waitForModelReady(page: Page, timeoutMs = 180_000): Promise<void> {
  await page.waitForFunction(`/Local GPT[^|]*: ready/.test(${STATUS_BAR_TEXT})`, undefined, { timeout: timeoutMs, polling: 250 });
}

/** Waits until the recorded state has not changed for quietMs; returns the frames since `since`. */
export async function waitUntilQuiet(page: Page, since: number, quietMs: number, timeoutMs: number): Promise<GhostFrame[]> {
  const quiet = `performance.now() - window.ghostFrames[window.ghostFrames.length - 1].at >= ${quietMs}`;
  await page.waitForFunction(quiet, undefined, { timeout: timeoutMs, polling: 100 });
  return framesSince(page, since);
}
