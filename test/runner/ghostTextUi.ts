/**
 * UI test from the browser side, with the extension as it ships: code-server serves VS Code with
 * the extension, its bundled model (models/lgc-small) and no `localGpt.*` setting at all (few-shot
 * snippets and the n-gram cache on); headless Chromium types into the demo workspace like a user
 * (60-120 ms a key) and waits until the model's ghost text is drawn in the editor. One server and
 * one page run every scenario of ghostTextScenarios.ts: TypeScript and JavaScript, the cursor at
 * the end of a line and in the middle of one, typing on through a suggestion, Tab to accept.
 *   node out/test/runner/ghostTextUi.js      (npm run test:ui)
 * Prints what the editor showed after the last key of each scenario (times are printed, never
 * checked) and exits non-zero when a scenario fails.
 *   LOCAL_GPT_UI_SCREENSHOT   where to save the screenshot (default .test-tmp/ui/ghost-text.png)
 *   LOCAL_GPT_UI_TIMEOUT_S    time for the whole run (default 420)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { statusBar } from './ghostTextPage';
import { type ScenarioResult, SCENARIOS, runScenario } from './ghostTextScenarios';
import { humanPace } from './humanTyping';
import { exitWhenDone } from './report';
import { type UiSession, startUiSession } from './uiSession';

const root = path.resolve(__dirname, '..', '..', '..');
const timeoutMs = Number(process.env.LOCAL_GPT_UI_TIMEOUT_S ?? 420) * 1000;
const screenshotFile = process.env.LOCAL_GPT_UI_SCREENSHOT ?? path.join(root, '.test-tmp', 'ui', 'ghost-text.png');
const SHIPPED_MODEL = path.join(root, 'models', 'lgc-small');
/** The typing pace's seed: the same delays every run. */
const PACE_SEED = 16;

function report(result: ScenarioResult): void {
  const { scenario, frames, typeOn, problems } = result;
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${scenario.name} (${scenario.file})`);
  console.log('     ghost text after the last key (ms: text):');
  for (const frame of frames) {
    console.log(`     ${String(frame.atMs).padStart(6)} ms: ${JSON.stringify(frame.text.slice(0, 80))}`);
  }
  if (typeOn) {
    const counts = new Map<string, number>();
    for (const { verdict } of typeOn.judged) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    const summary = [...counts].map(([verdict, count]) => `${verdict} ${count}`).join(', ');
    console.log(`     typing on: frames ${summary || 'none'} (${typeOn.unjudged} between renders); at the end ${JSON.stringify(typeOn.final.slice(0, 80))}`);
  }
  for (const problem of problems) {
    console.log(`     problem: ${problem}`);
  }
}

async function main(): Promise<boolean> {
  if (!fs.existsSync(path.join(SHIPPED_MODEL, 'config.json'))) {
    throw new Error(`The shipped model ${SHIPPED_MODEL} is missing (no config.json).`);
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-gpt-ui-'));
  process.once('exit', () => fs.rmSync(stateDir, { recursive: true, force: true }));
  const workspace = path.join(stateDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
  fs.mkdirSync(path.dirname(screenshotFile), { recursive: true });
  let session: UiSession | undefined;
  const deadline = setTimeout(() => {
    console.error(`The UI test did not finish within ${timeoutMs / 1000} s.`);
    void (session?.close() ?? Promise.resolve()).finally(() => process.exit(1));
  }, timeoutMs);
  try {
    session = await startUiSession({ root, stateDir, workspace });
    const page = session.page;
    console.log(`Shipped settings and model: ${(await statusBar(page)).match(/Model: [^|]*?\)/)?.[0] ?? '?'}`);
    const results: ScenarioResult[] = [];
    try {
      const pace = humanPace(PACE_SEED);
      for (const [index, scenario] of SCENARIOS.entries()) {
        const screenshot = index === 0 ? () => page.screenshot({ path: screenshotFile }).then(() => undefined) : undefined;
        const result = await runScenario(page, scenario, pace, screenshot);
        report(result);
        results.push(result);
      }
    } catch (error) {
      const failureShot = screenshotFile.replace(/\.png$/, '-failure.png');
      console.error(`Status bar: ${await statusBar(page).catch(() => '')}`);
      await page.screenshot({ path: failureShot }).catch(() => undefined);
      throw new Error(`${error instanceof Error ? error.message : String(error)} (screenshot: ${failureShot})`);
    }
    console.log(`Screenshot: ${screenshotFile}`);
    const failed = results.filter((result) => result.problems.length > 0).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    return failed === 0;
  } finally {
    clearTimeout(deadline);
    await session?.close();
  }
}

exitWhenDone(main);
