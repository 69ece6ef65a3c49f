/**
 * Opens code-server's workbench in headless Chromium with the extension under development running
 * in the browser's web worker extension host, and collects what the test suite prints until the
 * host exits. The workbench scans an extension for its web host only when its embedder lists it
 * in the workbench options (`developmentOptions`, what @vscode/test-web's server writes into the
 * page); code-server takes no such option, so the page's configuration element is amended in the
 * browser before the workbench starts. The URL payload's `extensionDevelopmentPath` cannot be used: the server scans such
 * a folder and it can then only run in the server's Node extension host.
 */
import { chromium } from 'playwright-core';
import { chromiumPath } from '../runner/workbench';

/** Keeps the browser offline and quiet; the GPU flags come from the scenario. */
const OFFLINE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface DevelopmentOptions {
  /** The extension's root, served over http (extensionFileServer.ts). */
  readonly extensionUrl: string;
  /** The compiled web suite inside it. */
  readonly testsUrl: string;
}

function uriComponents(url: string): { scheme: string; authority: string; path: string } {
  const parsed = new URL(url);
  return { scheme: parsed.protocol.replace(/:$/, ''), authority: parsed.host, path: parsed.pathname };
}

/**
 * Runs in the page before its scripts: adds `developmentOptions` to the configuration element as
 * soon as the parser inserts it, before workbench.js reads it. (Rewriting the response instead
 * makes Chromium treat the page as public and block its loopback WebSocket to the server.)
 */
function addDevelopmentOptionsScript(developmentOptions: unknown): string {
  return `(() => {
    const developmentOptions = ${JSON.stringify(developmentOptions)};
    const observer = new MutationObserver(() => {
      const element = document.getElementById('vscode-workbench-web-configuration');
      const settings = element && element.getAttribute('data-settings');
      if (!settings) return;
      observer.disconnect();
      element.setAttribute('data-settings', JSON.stringify({ ...JSON.parse(settings), developmentOptions }));
    });
    observer.observe(document, { childList: true, subtree: true });
  })();`;
}

export interface WebWorkbenchRun {
  /** The workbench's URL with `?folder=`. */
  readonly url: string;
  readonly development: DevelopmentOptions;
  readonly chromiumArgs: readonly string[];
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Every console line of the page and its workers, and every workbench log. */
  onLine(source: string, text: string): void;
  readonly serverExited: Promise<unknown>;
}

/** Resolves with the extension host's exit code; rejects on timeouts and crashes. */
export async function runWebWorkbench(run: WebWorkbenchRun): Promise<number> {
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
    await page.addInitScript({
      content: addDevelopmentOptionsScript({
        extensions: [uriComponents(run.development.extensionUrl)],
        extensionTestsPath: uriComponents(run.development.testsUrl),
      }),
    });
    page.on('console', (message) => run.onLine('console', message.text()));
    page.on('pageerror', (error) => run.onLine('pageerror', error.message));
    const finished = new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`The web tests did not finish within ${run.timeoutMs / 1000} s.`)), run.timeoutMs);
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      page.on('crash', () => reject(new Error('The workbench page crashed.')));
      void run.serverExited.then(() => reject(new Error('code-server exited while the tests were running.')));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
      run.onLine(`log:${type}`, (Array.isArray(args) ? args : [args]).map(String).join(' ')),
    );
    finished.catch(() => undefined);
    await Promise.race([page.goto(run.url, { timeout: 60_000 }), finished]);
    return await finished;
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}
