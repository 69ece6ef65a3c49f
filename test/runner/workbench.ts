/**
 * Opens the code-server workbench in headless Debian Chromium (never a downloaded browser) and
 * waits for the extension tests to end: the workbench calls window.codeAutomationExit(code) when
 * the test extension host exits, and forwards host logs to window.codeAutomationLog. The desktop
 * runner (codeServer.ts) and the web one (test/web/webWorkbench.ts) both drive it.
 */
import * as fs from 'node:fs';
import { chromium, type Page } from 'playwright-core';

/** Keeps the browser offline and quiet; each run adds its GPU flags. */
const OFFLINE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Debian's package, then Ubuntu's (a snap), unless CHROMIUM_PATH names another browser. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

export function chromiumPath(): string {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  const executable = candidates.find((file) => fs.existsSync(file));
  if (!executable) {
    throw new Error(`Chromium not found (${candidates.join(', ')}): run bash .ci/setup-system.sh, or set CHROMIUM_PATH.`);
  }
  return executable;
}

export interface WorkbenchRun {
  url: string;
  /** Added to the offline flags: the GPU ones. */
  chromiumArgs: readonly string[];
  timeoutMs: number;
  /** Environment of the browser (keeps its profile and caches out of $HOME). */
  env: NodeJS.ProcessEnv;
  /** What the workbench logs (window.codeAutomationLog). */
  onLog(type: string, message: string): void;
  /** An error the page did not catch. */
  onPageError(message: string): void;
  /** Rejects when the server dies, to stop waiting for a workbench that cannot finish. */
  serverExited: Promise<unknown>;
  /** Runs on the new page before it loads the workbench. */
  preparePage?(page: Page): Promise<void>;
}

/** Resolves with the extension host's exit code; rejects on timeouts and crashes. */
export async function runTestsInWorkbench(run: WorkbenchRun): Promise<number> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...OFFLINE_CHROMIUM_ARGS, ...run.chromiumArgs],
    env: run.env,
    timeout: 60_000,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await browser.newPage();
    await run.preparePage?.(page);
    const finished = new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`The tests did not finish within ${run.timeoutMs / 1000} s.`)), run.timeoutMs);
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      page.on('crash', () => reject(new Error('The workbench page crashed.')));
      page.on('pageerror', (error) => run.onPageError(error.message));
      void run.serverExited.then(() => reject(new Error('code-server exited while the tests were running.')));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
      run.onLog(type, (Array.isArray(args) ? args : [args]).map(String).join(' ')),
    );
    // Either may settle first: a timeout or crash must win over a slow page load.
    finished.catch(() => undefined);
    await Promise.race([page.goto(run.url, { timeout: 60_000 }), finished]);
    return await finished;
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}
