/**
 * One code-server and one headless Chromium page on a workspace, with the extension loaded from
 * the working tree and its settings as shipped: the user settings written here only quiet the
 * workbench, and none of them is a `localGpt.*` setting (checked before the start).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type CodeServer, isolatedEnv, startCodeServer } from './codeServerProcess';
import { installRecorder, statusBar, waitForModelReady } from './ghostTextPage';
import { chromiumPath } from './workbench';

/** Workbench settings only: no tips, no start page, no Git prompt about the parent repository. */
export const QUIET_WORKBENCH_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export interface UiSession {
  readonly page: Page;
  readonly server: CodeServer;
  /** The extension's own log file ('Local GPT' output channel), once the host has written one. */
  extensionLogFile(): string | undefined;
  close(): Promise<void>;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Every file under a folder, depth first (log folders are small). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Starts the server and the page, opens the workspace and waits until the extension says its
 * model is ready. The shipped model is the bundled one: the status bar must name lgc-small.
 */
export async function startUiSession(options: {
  root: string;
  stateDir: string;
  workspace: string;
  /** Extra user settings; a `localGpt.*` key is refused (the point is the shipped defaults). */
  settings?: Readonly<Record<string, unknown>>;
  onFirstPage?(page: Page): Promise<void>;
}): Promise<UiSession> {
  const settings = { ...QUIET_WORKBENCH_SETTINGS, ...options.settings };
  const overridden = Object.keys(settings).filter((key) => key.startsWith('localGpt.'));
  if (overridden.length > 0) {
    throw new Error(`The UI runs use the shipped settings; refusing ${overridden.join(', ')}.`);
  }
  const userData = path.join(options.stateDir, 'user-data');
  writeJson(path.join(userData, 'User', 'settings.json'), settings);
  const server = await startCodeServer({ root: options.root, stateDir: options.stateDir, port: 0, startTimeoutMs: 60_000 });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server.stop();
  };
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
      env: { ...process.env, ...isolatedEnv(path.join(options.stateDir, 'browser')) },
      timeout: 60_000,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(server.workbenchUrl(options.workspace, [['extensionDevelopmentPath', options.root]]), { timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .explorer-folders-view', { timeout: 120_000 });
    await installRecorder(page);
    await options.onFirstPage?.(page);
    await waitForModelReady(page);
    const status = await statusBar(page);
    const model = /Model: (\S+) \(([^)]*)\)/.exec(status);
    const shipped = path.join(options.root, 'models', 'lgc-small');
    if (!model || model[1] !== 'lgc-small' || path.resolve(model[2]) !== shipped) {
      throw new Error(`Expected the shipped model ${shipped}; the status bar says: ${status}`);
    }
    return {
      page,
      server,
      extensionLogFile: () => filesUnder(path.join(userData, 'logs')).find((file) => path.basename(file) === 'Local GPT.log'),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
