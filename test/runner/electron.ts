/**
 * Runs the integration suite in desktop VS Code through @vscode/test-electron:
 *   npm run test:electron
 * For machines that can download VS Code or have it installed; offline CI uses the code-server
 * runner (npm test). Environment:
 *   VSCODE_EXECUTABLE_PATH      an installed VS Code to use instead of downloading one
 *   LOCAL_GPT_VSCODE_VERSION    version to download (default: stable)
 */
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORT_FILE_ENV } from '../suite/report';
import { exitWhenDone, followFile, verdict } from './report';

const root = path.resolve(__dirname, '..', '..', '..');
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/;

function explain(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (OFFLINE.test(message)) {
    return new Error(
      `could not download VS Code (${message}). This runner needs the network or an installed VS Code: ` +
        'set VSCODE_EXECUTABLE_PATH=/path/to/code, or run the offline suite with npm test.',
    );
  }
  return error instanceof Error ? error : new Error(message);
}

async function main(): Promise<boolean> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-gpt-electron-'));
  process.once('exit', () => fs.rmSync(stateDir, { recursive: true, force: true }));
  const reportFile = path.join(stateDir, 'mocha-report.txt');
  const workspace = path.join(stateDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
  const follower = followFile(reportFile, (text) => process.stdout.write(text));
  let hostExitCode: number | undefined;
  let failure: Error | undefined;
  try {
    hostExitCode = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'suite', 'index.js'),
      extensionTestsEnv: { [REPORT_FILE_ENV]: reportFile },
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
      version: process.env.LOCAL_GPT_VSCODE_VERSION,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      hostExitCode = error.code;
    } else {
      failure = explain(error);
    }
  } finally {
    follower.stop();
  }
  const result = verdict(reportFile, hostExitCode, failure);
  console.log(result.line);
  return result.ok;
}

exitWhenDone(main);
