/**
 * Runs the integration suite inside code-server's real VS Code extension host, offline:
 *   node out/test/runner/codeServer.js      (npm run test:integration)
 * Prints mocha's spec output as it comes, ends with "N passed, N failed", and exits non-zero on
 * any test failure or when the server, browser or extension host fails. Environment:
 *   LOCAL_GPT_TEST_TIMEOUT_S   time for the whole run (default 900 s times LOCAL_GPT_TEST_TIME_SCALE;
 *                              one run took 5 to 7 min on a busy 2-core machine)
 *   LOCAL_GPT_TEST_GREP       run only the tests whose full title matches this pattern
 *   LOCAL_GPT_TEST_VERBOSE=1   also print the workbench's and extension host's logs
 *   CHROMIUM_PATH              browser to drive (default: Debian's or Ubuntu's Chromium)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COLOR_ENV, limitMs, REPORT_FILE_ENV } from '../suite/report';
import { CodeServer, isolatedEnv, startCodeServer } from './codeServerProcess';
import { exitWhenDone, followFile, verdict } from './report';
import { runTestsInWorkbench } from './workbench';

const root = path.resolve(__dirname, '..', '..', '..');
const verbose = process.env.LOCAL_GPT_TEST_VERBOSE === '1';
const timeoutMs = limitMs('LOCAL_GPT_TEST_TIMEOUT_S', 900);

/** The tests get a scratch copy of the demo workspace, so they can edit files freely. */
function prepareWorkspace(stateDir: string): string {
  const workspace = path.join(stateDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
  return workspace;
}

async function main(): Promise<boolean> {
  const suiteIndex = path.join(root, 'out', 'test', 'suite', 'index.js');
  if (!fs.existsSync(suiteIndex)) {
    throw new Error(`${suiteIndex} is missing: run npm run build first.`);
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-gpt-test-'));
  process.once('exit', () => fs.rmSync(stateDir, { recursive: true, force: true }));
  const reportFile = path.join(stateDir, 'mocha-report.txt');
  const logs: string[] = [];
  const onLog = (type: string, message: string) => {
    logs.push(`[${type}] ${message}`);
    if (verbose) {
      console.error(`[workbench ${type}] ${message}`);
    }
  };
  let server: CodeServer | undefined;
  let hostExitCode: number | undefined;
  let failure: Error | undefined;
  const follower = followFile(reportFile, (text) => process.stdout.write(text));
  const stopOnSignal = () => {
    failure = new Error('interrupted');
    void server?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    const started = Date.now();
    server = await startCodeServer({
      root,
      stateDir,
      port: 0,
      startTimeoutMs: 60_000,
      env: { [REPORT_FILE_ENV]: reportFile, [COLOR_ENV]: process.stdout.isTTY ? '1' : '0' },
    });
    console.log(`code-server ready at ${server.origin} in ${((Date.now() - started) / 1000).toFixed(1)} s; running the integration tests`);
    const url = server.workbenchUrl(prepareWorkspace(stateDir), [
      ['extensionDevelopmentPath', root],
      ['extensionTestsPath', suiteIndex],
    ]);
    hostExitCode = await runTestsInWorkbench({
      url,
      // The extension runs in the Node extension host: the page needs no GPU.
      chromiumArgs: ['--disable-gpu'],
      timeoutMs,
      onLog,
      onPageError: (message) => onLog('pageerror', message),
      env: { ...process.env, ...isolatedEnv(path.join(stateDir, 'browser')) },
      serverExited: server.exited,
    });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    follower.stop();
    await server?.stop();
  }
  const result = verdict(reportFile, hostExitCode, failure);
  if (!result.ok && !verbose) {
    const details = [...logs.slice(-30), server ? `--- code-server output ---\n${server.outputTail()}` : ''];
    console.error(`\nLast workbench logs (LOCAL_GPT_TEST_VERBOSE=1 shows all):\n${details.join('\n')}`);
  }
  console.log(result.line);
  return result.ok;
}

exitWhenDone(main);
