/**
 * Opens code-server's workbench in headless Chromium with the extension under development running
 * in the browser's web worker extension host, and collects what the test suite prints until the
 * host exits. The workbench scans an extension for its web host only when its embedder lists it
 * in the workbench options (`developmentOptions`, what @vscode/test-web's server writes into the
 * page); code-server takes no such option, so the page's configuration element is amended in the
 * browser before the workbench starts. The URL payload's `extensionDevelopmentPath` cannot be used: the server scans such
 * a folder and it can then only run in the server's Node extension host.
 */
import { runTestsInWorkbench } from '../runner/workbench';

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
export function runWebWorkbench(run: WebWorkbenchRun): Promise<number> {
  return runTestsInWorkbench({
    url: run.url,
    chromiumArgs: run.chromiumArgs,
    timeoutMs: run.timeoutMs,
    env: run.env,
    onLog: (type, message) => run.onLine(`log:${type}`, message),
    onPageError: (message) => run.onLine('pageerror', message),
    serverExited: run.serverExited,
    preparePage: async (page) => {
      await page.addInitScript({
        content: addDevelopmentOptionsScript({
          extensions: [uriComponents(run.development.extensionUrl)],
          extensionTestsPath: uriComponents(run.development.testsUrl),
        }),
      });
      page.on('console', (message) => run.onLine('console', message.text()));
    },
  });
}
