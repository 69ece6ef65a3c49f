/**
 * The integration suite's entry, loaded by VS Code as `extensionTestsPath` inside the extension
 * host; both runners (code-server and @vscode/test-electron) use it. VS Code calls run() and
 * ends the host with exit code 0 when it resolves, 1 when it rejects.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { COLOR_ENV, CRASH_HOST_ENV, GREP_ENV, REPORT_FILE_ENV, SuiteSummary, summaryFileFor, timeScale } from './report';

/** The extension host's stdout is not ours to read in code-server, so the report can go to a file. */
function sendReporterOutputTo(file: string): void {
  fs.writeFileSync(file, '');
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    const line = args.length === 0 ? '' : format(...args);
    fs.appendFileSync(file, `${line}\n`);
  };
}

function integrationTestFiles(): string[] {
  const dir = path.resolve(__dirname, '..', 'integration');
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
  if (files.length === 0) {
    throw new Error(`No integration tests (*.test.js) under ${dir}: run the build first.`);
  }
  return files;
}

/** Multiplies every suite's and test's timeout (set when the files load) on a busy machine. */
function scaleTimeouts(suite: Mocha.Suite, scale: number): void {
  if (scale === 1) {
    return;
  }
  suite.timeout(Math.round(suite.timeout() * scale));
  for (const test of suite.tests) {
    test.timeout(Math.round(test.timeout() * scale));
  }
  for (const child of suite.suites) {
    scaleTimeouts(child, scale);
  }
}

export async function run(): Promise<void> {
  if (process.env[CRASH_HOST_ENV] === '1') {
    process.kill(process.pid, 'SIGKILL');
  }
  const reportFile = process.env[REPORT_FILE_ENV];
  if (reportFile) {
    sendReporterOutputTo(reportFile);
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 30_000, color: process.env[COLOR_ENV] === '1', grep: process.env[GREP_ENV] || undefined });
  for (const file of integrationTestFiles()) {
    mocha.addFile(file);
  }
  await mocha.loadFilesAsync();
  scaleTimeouts(mocha.suite, timeScale());
  const summary = await new Promise<SuiteSummary>((resolve) => {
    const runner = mocha.run(() =>
      resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }),
    );
  });
  if (reportFile) {
    fs.writeFileSync(summaryFileFor(reportFile), JSON.stringify(summary));
  }
  if (summary.failures > 0) {
    throw new Error(`${summary.failures} integration test(s) failed.`);
  }
}
