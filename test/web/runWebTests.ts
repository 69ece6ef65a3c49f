/**
 * Runs the web suite (test/web/suite) in code-server's browser workbench, with the extension in
 * the web worker extension host, once per scenario: Chromium with WebGPU (SwiftShader, through
 * --enable-unsafe-webgpu) and Chromium without a WebGPU adapter (--disable-gpu). Offline.
 *   node out/test/web/runWebTests.js [scenario...]     (npm run test:web)
 * Environment: LOCAL_GPT_TEST_TIMEOUT_S (per scenario, default 420 s times LOCAL_GPT_TEST_TIME_SCALE), LOCAL_GPT_TEST_VERBOSE=1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSummary, limitMs, type SuiteSummary } from '../suite/report';
import { type CodeServer, isolatedEnv, startCodeServer } from '../runner/codeServerProcess';
import { exitWhenDone } from '../runner/report';
import { SCENARIO_FILE, SUMMARY_MARKER, type WebScenario } from './suite/runContract';
import { type ExtensionFileServer, serveExtensionFiles } from './extensionFileServer';
import { runWebWorkbench } from './webWorkbench';

const root = path.resolve(__dirname, '..', '..', '..');
const verbose = process.env.LOCAL_GPT_TEST_VERBOSE === '1';
const timeoutMs = limitMs('LOCAL_GPT_TEST_TIMEOUT_S', 420);

const SCENARIOS: ReadonlyArray<WebScenario & { readonly chromiumArgs: readonly string[] }> = [
  { name: 'webgpu', expectedBackend: 'webgpu', chromiumArgs: ['--enable-unsafe-webgpu'] },
  { name: 'no-webgpu', expectedBackend: 'wasm', chromiumArgs: ['--disable-gpu'] },
];

/** The suite's own lines: mocha's report as the host forwards it to the workbench's log. */
function suiteLine(text: string): string | undefined {
  const match = /^(?:\[Extension Host\] )?(.*)$/s.exec(text);
  return match?.[1];
}

async function runScenario(scenario: (typeof SCENARIOS)[number]): Promise<{ ok: boolean; line: string; summary?: SuiteSummary }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `local-gpt-web-${scenario.name}-`));
  const workspace = path.join(stateDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
  const { chromiumArgs: _args, ...written } = scenario;
  fs.writeFileSync(path.join(workspace, SCENARIO_FILE), JSON.stringify(written));
  const logs: string[] = [];
  let summary: SuiteSummary | undefined;
  let server: CodeServer | undefined;
  let files: ExtensionFileServer | undefined;
  let hostExitCode: number | undefined;
  let failure: Error | undefined;
  try {
    files = await serveExtensionFiles(root);
    server = await startCodeServer({ root, stateDir, port: 0, startTimeoutMs: 120_000 });
    console.log(`\n[${scenario.name}] Chromium ${scenario.chromiumArgs.join(' ')}; expecting the ${scenario.expectedBackend} backend`);
    hostExitCode = await runWebWorkbench({
      url: `${server.origin}/?folder=${encodeURIComponent(workspace)}`,
      // Through code-server's own port proxy: the workbench's CSP only lets it fetch from itself.
      development: { extensionUrl: `${server.origin}/proxy/${files.port}/`, testsUrl: `${server.origin}/proxy/${files.port}/out/test/web/suite/index.js` },
      chromiumArgs: scenario.chromiumArgs,
      timeoutMs,
      env: { ...process.env, ...isolatedEnv(path.join(stateDir, 'browser')) },
      serverExited: server.exited,
      onLine: (source, text) => {
        logs.push(`[${source}] ${text}`);
        if (verbose) console.error(`[${source}] ${text}`);
        const line = suiteLine(text);
        if (line?.startsWith(SUMMARY_MARKER)) {
          summary = JSON.parse(line.slice(SUMMARY_MARKER.length)) as SuiteSummary;
        } else if (!verbose && source === 'log:info' && line !== undefined && isReportLine(line)) {
          console.log(line);
        }
      },
    });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    await server?.stop();
    await files?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  const ok = !failure && hostExitCode === 0 && summary !== undefined && summary.failures === 0 && summary.passes > 0;
  if (!ok && !verbose) console.error(`Last logs (LOCAL_GPT_TEST_VERBOSE=1 shows all):\n${logs.slice(-40).join('\n')}`);
  const counts = summary ? formatSummary(summary) : 'no summary from the suite';
  const why = failure ? ` (${failure.message})` : hostExitCode !== 0 && summary ? ` (host exit code ${hostExitCode})` : '';
  return { ok, line: `[${scenario.name}] ${counts}${why}`, summary };
}

/** mocha spec lines (suite titles, ✔/number results, pending, failure details). */
function isReportLine(line: string): boolean {
  return /^\s{2,}\S|^\s*$|^\s*\d+ (passing|failing|pending)/.test(line);
}

async function main(): Promise<boolean> {
  if (!fs.existsSync(path.join(root, 'out', 'test', 'web', 'suite', 'index.js')) || !fs.existsSync(path.join(root, 'dist', 'web', 'extension.js'))) {
    throw new Error('The web build is missing: run npm run build first.');
  }
  const wanted = process.argv.slice(2);
  const scenarios = SCENARIOS.filter((scenario) => wanted.length === 0 || wanted.includes(scenario.name));
  if (scenarios.length === 0) throw new Error(`Unknown scenario; choose from ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  const results = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario));
  for (const result of results) console.log(result.line);
  const ok = results.every((result) => result.ok);
  // One closing line over all scenarios; a scenario without a summary counts as a failure.
  const total = results.reduce(
    (sum, result) => ({
      passes: sum.passes + (result.summary?.passes ?? 0),
      failures: sum.failures + (result.summary ? result.summary.failures : 1),
      pending: sum.pending + (result.summary?.pending ?? 0),
    }),
    { passes: 0, failures: 0, pending: 0 },
  );
  console.log(`web: ${formatSummary({ ...total, failures: ok ? total.failures : Math.max(1, total.failures) })}`);
  return ok;
}

exitWhenDone(main);
