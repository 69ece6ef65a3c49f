/**
 * `npm test` after the build: every test stage in turn, each run even when an earlier one failed,
 * then a table of the stages and one last line "N passed, N failed" that sums them all. Exits
 * non-zero when any stage failed.
 *   LOCAL_GPT_TEST_STAGES   comma-separated subset of the stages, in their order (default: all)
 *   LOCAL_GPT_TEST_TIME_SCALE  multiplies the time limits of the VS Code stages; by default the
 *                              machine's load per core when each stage starts (at least 1), so a
 *                              busy 2-core machine gives the tests the time they need
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { exitWithCount, type StageCounts, stageCounts, summaryLine } from './stageCounts';

const root = path.resolve(__dirname, '..', '..', '..');
const mocha = path.join(root, 'node_modules', '.bin', 'mocha');

interface Stage {
  readonly name: string;
  readonly command: readonly string[];
  /** Hard limit for the whole stage, in minutes at a time scale of 1: a stage never hangs npm test. */
  readonly limitMinutes: number;
}

const STAGES: readonly Stage[] = [
  { name: 'models', command: ['/usr/bin/python3', '-m', 'unittest', 'discover', '-s', 'models/train/tests', '-v'], limitMinutes: 20 },
  { name: 'unit', command: [mocha, '--reporter', 'spec', 'out/test/unit/**/*.test.js'], limitMinutes: 15 },
  { name: 'faults', command: [process.execPath, 'out/test/faults/runFaults.js'], limitMinutes: 20 },
  { name: 'runner', command: [mocha, '--reporter', 'spec', 'out/test/selftest/**/*.test.js'], limitMinutes: 20 },
  { name: 'ui', command: [process.execPath, 'out/test/runner/ghostTextUi.js'], limitMinutes: 15 },
  { name: 'integration', command: [process.execPath, 'out/test/runner/codeServer.js'], limitMinutes: 30 },
  { name: 'web', command: [process.execPath, 'out/test/web/runWebTests.js'], limitMinutes: 20 },
];

/** The load per core now, at least 1: how much slower than an idle machine the tests will run. */
export function loadScale(): number {
  const configured = Number(process.env.LOCAL_GPT_TEST_TIME_SCALE);
  if (configured > 0) {
    return configured;
  }
  return Math.max(1, Math.round((os.loadavg()[0] / os.cpus().length) * 10) / 10);
}

interface StageRun {
  readonly stage: Stage;
  readonly counts: StageCounts;
  readonly seconds: number;
  readonly scale: number;
}

function runStage(stage: Stage): Promise<StageRun> {
  const scale = loadScale();
  const started = Date.now();
  console.log(`\n=== ${stage.name}: ${stage.command.map((part) => path.relative(root, part) || part).join(' ')} (time scale ${scale})`);
  return new Promise((resolve) => {
    const child = spawn(stage.command[0], stage.command.slice(1), {
      cwd: root,
      env: { ...process.env, LOCAL_GPT_TEST_TIME_SCALE: String(scale) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    const limitMs = stage.limitMinutes * 60_000 * scale;
    const timer = setTimeout(() => {
      output += `\nStage ${stage.name} did not finish within ${Math.round(limitMs / 60_000)} min: stopped.\n`;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stage, counts: stageCounts(output, code), seconds: (Date.now() - started) / 1000, scale });
    });
    child.on('error', (error) => {
      output += `\n${error.message}\n`;
    });
  });
}

async function main(): Promise<number> {
  const wanted = (process.env.LOCAL_GPT_TEST_STAGES ?? '').split(',').filter((name) => name.length > 0);
  const unknown = wanted.filter((name) => !STAGES.some((stage) => stage.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown stage(s) ${unknown.join(', ')}; the stages are ${STAGES.map((stage) => stage.name).join(', ')}.`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const runs: StageRun[] = [];
  for (const stage of STAGES.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
    runs.push(await runStage(stage));
  }
  const total = runs.reduce((sum, run) => ({ passed: sum.passed + run.counts.passed, failed: sum.failed + run.counts.failed, skipped: sum.skipped + run.counts.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
  console.log('\n=== all stages');
  for (const run of runs) {
    console.log(`  ${run.stage.name.padEnd(12)} ${summaryLine(run.counts).padEnd(34)} ${run.seconds.toFixed(0).padStart(5)} s  (time scale ${run.scale})`);
  }
  console.log(summaryLine(total));
  return total.failed > 0 ? 1 : 0;
}

exitWithCount(main);
