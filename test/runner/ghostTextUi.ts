/**
 * UI test from the browser side: serves VS Code (code-server) with the extension and the fixture
 * model, opens a file in headless Chromium, types into it like a user and waits until ghost text
 * from the model is drawn in the editor. Then it records how the suggestion grows (streaming),
 * saves a screenshot and accepts the suggestion with Tab.
 *   node out/test/runner/ghostTextUi.js      (npm run test:ui)
 * Prints a timeline of what the editor showed and exits non-zero when no ghost text appears.
 *   LOCAL_GPT_UI_SCREENSHOT   where to save the screenshot (default .test-tmp/ui/ghost-text.png)
 *   LOCAL_GPT_UI_TIMEOUT_S    time for the whole run (default 240)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { type CodeServer, isolatedEnv, startCodeServer } from './codeServerProcess';
import { exitWhenDone } from './report';
import { chromiumPath } from './workbench';

const root = path.resolve(__dirname, '..', '..', '..');
const timeoutMs = Number(process.env.LOCAL_GPT_UI_TIMEOUT_S ?? 240) * 1000;
const screenshotFile = process.env.LOCAL_GPT_UI_SCREENSHOT ?? path.join(root, '.test-tmp', 'ui', 'ghost-text.png');
const FIXTURE_MODEL = path.join(root, 'models', 'lgc-fixture');
const FILE_NAME = 'typing.ts';
/** Typed one key at a time; the fixture model continues it with a non-empty suggestion. */
const TYPED = ['export function sum(values: number[]): number {', 'Enter', 'let total = 0;', 'Enter'];
/** The suggestion counts as settled once it has not changed for this long. */
const SETTLED_MS = 3000;

/**
 * Ghost text is drawn as an inline decoration on the cursor's line (its first line) and as
 * lines of `span.ghost-text` tokens in a view zone below (the others).
 */
const FIRST_LINE_SELECTOR = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text-decoration-preview';
const MORE_LINES_SELECTOR = '.monaco-editor span.ghost-text';

/**
 * Runs in the page (plain JavaScript: this project's TypeScript has no DOM types). Defines
 * readGhostText(), the ghost text shown now, line by line, and records each change of it with a
 * timestamp in window.ghostFrames.
 */
const PAGE_RECORDER = `
  window.readGhostText = () => {
    const first = Array.from(document.querySelectorAll(${JSON.stringify(FIRST_LINE_SELECTOR)}))
      .map((element) => element.textContent || '').join('');
    const lines = new Set(Array.from(document.querySelectorAll(${JSON.stringify(MORE_LINES_SELECTOR)}))
      .map((span) => span.closest('.view-line') || span.parentElement));
    const more = Array.from(lines).map((line) => (line.textContent || '').replace(/\\u00a0/g, ' '));
    return [first, ...more].join('\\n').replace(/\\n+$/, '');
  };
  window.ghostFrames = [{ at: performance.now(), text: window.readGhostText() }];
  new MutationObserver(() => {
    const text = window.readGhostText();
    if (text !== window.ghostFrames[window.ghostFrames.length - 1].text) {
      window.ghostFrames.push({ at: performance.now(), text });
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
`;

interface GhostFrame {
  /** Milliseconds since the last key was typed. */
  readonly atMs: number;
  readonly text: string;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A workspace with one empty file, and settings that keep the window quiet. The model path is a
 * machine setting: code-server reads it from the server's Machine settings file.
 */
function prepare(stateDir: string): string {
  const workspace = path.join(stateDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src', FILE_NAME), '');
  const userData = path.join(stateDir, 'user-data');
  writeJson(path.join(userData, 'User', 'settings.json'), {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'editor.inlineSuggest.enabled': true,
    // The fixture model is tiny: with few-shot snippets and its n-gram cache it often has
    // nothing to suggest after this prompt; without them its greedy answer is a known line.
    'localGpt.fewShot.enable': false,
    'localGpt.cache.enable': false,
  });
  writeJson(path.join(userData, 'Machine', 'settings.json'), { 'localGpt.model.path': FIXTURE_MODEL });
  return workspace;
}

async function ghostFrames(page: Page, since: number): Promise<GhostFrame[]> {
  const frames = (await page.evaluate('window.ghostFrames')) as { at: number; text: string }[];
  return frames.filter((frame) => frame.at >= since).map((frame) => ({ atMs: Math.round(frame.at - since), text: frame.text }));
}

async function typeLikeAUser(page: Page): Promise<number> {
  for (const step of TYPED) {
    if (step === 'Enter') {
      await page.keyboard.press('Enter');
    } else {
      await page.keyboard.type(step, { delay: 25 });
    }
  }
  return (await page.evaluate('performance.now()')) as number;
}

async function openFile(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 120_000 });
  await page.waitForSelector('.monaco-workbench .explorer-folders-view', { timeout: 120_000 });
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.type(FILE_NAME, { delay: 20 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${FILE_NAME}"]`, { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${FILE_NAME}"]`, { timeout: 30_000 });
  await page.click('.editor-instance .monaco-editor .view-lines');
}

/** The status bar's items as screen readers get them (the model's state is in ours). */
const STATUS_BAR_TEXT = "Array.from(document.querySelectorAll('.statusbar-item')).map((item) => item.getAttribute('aria-label')).join(' | ')";

async function main(): Promise<boolean> {
  if (!fs.existsSync(path.join(FIXTURE_MODEL, 'config.json'))) {
    console.log(`skipped: ${FIXTURE_MODEL} is missing (no config.json).`);
    return true;
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-gpt-ui-'));
  process.once('exit', () => fs.rmSync(stateDir, { recursive: true, force: true }));
  let server: CodeServer | undefined;
  const deadline = setTimeout(() => {
    console.error(`The UI test did not finish within ${timeoutMs / 1000} s.`);
    void server?.stop().finally(() => process.exit(1));
  }, timeoutMs);
  try {
    const workspace = prepare(stateDir);
    server = await startCodeServer({ root, stateDir, port: 0, startTimeoutMs: 60_000 });
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
      env: { ...process.env, ...isolatedEnv(path.join(stateDir, 'browser')) },
      timeout: 60_000,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      fs.mkdirSync(path.dirname(screenshotFile), { recursive: true });
      try {
        await page.goto(server.workbenchUrl(workspace, [['extensionDevelopmentPath', root]]), { timeout: 60_000 });
        await openFile(page);
        // Keys typed before the model is loaded get no suggestion (VS Code asks once per edit).
        await page.waitForFunction(`/Local GPT[^|]*: ready/.test(${STATUS_BAR_TEXT})`, undefined, { timeout: 120_000 });
        await page.evaluate(PAGE_RECORDER);
        const typedAt = await typeLikeAUser(page);
        await page.waitForFunction('window.readGhostText().trim().length > 0', undefined, { timeout: 120_000 });
        const settled = await waitUntilSettled(page, typedAt);
        await page.screenshot({ path: screenshotFile });
        report(settled);
        return await acceptWithTab(page, settled.at(-1)?.text ?? '');
      } catch (error) {
        const failureShot = screenshotFile.replace(/\.png$/, '-failure.png');
        const status = await page.evaluate(STATUS_BAR_TEXT).catch(() => '');
        console.error(`Status bar: ${status}`);
        await page.screenshot({ path: failureShot }).catch(() => undefined);
        throw new Error(`${error instanceof Error ? error.message : String(error)} (screenshot: ${failureShot})`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    clearTimeout(deadline);
    await server?.stop();
  }
}

/** Follows the ghost text until it has not changed for SETTLED_MS; returns every frame seen. */
async function waitUntilSettled(page: Page, typedAt: number): Promise<GhostFrame[]> {
  const quiet = `performance.now() - window.ghostFrames[window.ghostFrames.length - 1].at >= ${SETTLED_MS}`;
  await page.waitForFunction(quiet, undefined, { timeout: 120_000, polling: 100 });
  return ghostFrames(page, typedAt);
}

function report(frames: readonly GhostFrame[]): void {
  console.log('Ghost text after the last key (ms: lines shown):');
  for (const frame of frames) {
    const lines = frame.text.length === 0 ? 0 : frame.text.split('\n').length;
    console.log(`  ${String(frame.atMs).padStart(6)} ms: ${lines} line(s) ${JSON.stringify(frame.text.slice(0, 80))}`);
  }
  const blanks = frames.filter((frame, index) => index > 0 && frame.text.length === 0 && frames.slice(0, index).some((before) => before.text.length > 0));
  console.log(`  gaps (ghost text gone between growth steps): ${blanks.length}`);
  console.log(`Screenshot: ${screenshotFile}`);
}

/** Tab accepts the suggestion: its longest line must then be in the editor's text. */
async function acceptWithTab(page: Page, ghost: string): Promise<boolean> {
  const firstLine = ghost
    .split('\n')
    .map((line) => line.trim())
    .reduce((longest, line) => (line.length > longest.length ? line : longest), '');
  await page.keyboard.press('Tab');
  const editorText = "(document.querySelector('.editor-instance .monaco-editor .view-lines')?.textContent ?? '').replace(/\\u00a0/g, ' ')";
  const accepted = await page
    .waitForFunction(`${editorText}.includes(${JSON.stringify(firstLine)})`, undefined, { timeout: 10_000 })
    .then(
      () => true,
      () => false,
    );
  console.log(accepted ? `Tab accepted the suggestion ("${firstLine}").` : `Tab did not put "${firstLine}" into the editor.`);
  return accepted;
}

exitWhenDone(main);
