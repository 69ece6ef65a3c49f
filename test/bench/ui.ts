/**
 * Keystroke-to-ghost-text latency in the real workbench (`npm run build`, then `npm run bench:ui --
 * [options]`): code-server serves VS Code with the extension as it ships (no `localGpt.*` setting,
 * the bundled lgc-small, few-shot and n-gram cache on); headless Chromium opens bench:completion's
 * held-out targets with their open siblings and types their lines one key at a time at a person's
 * pace (seeded), pausing after some keystrokes. Each pause is measured from the DOM: the keydown's
 * timestamp to the first MutationObserver record with ghost text. The extension's own log line per
 * request (Local GPT output channel at trace level, set through Developer: Set Log Level) splits
 * the time into stages. Then the same requests are replayed in process as bench:completion does,
 * to compare. Writes one JSON line per pause (--out), the extension's log and the printed figures
 * beside it (.extension.log, .summary.txt). A benchmark: it asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { pageTimeOrigin, statusBar } from '../runner/ghostTextPage';
import { humanPace } from '../runner/humanTyping';
import { seededRandom } from '../support/seededRandom';
import { type UiSession, startUiSession } from '../runner/uiSession';
import { readHeldOut, selectTargets } from './completion/corpus';
import { replayInProcess, sampleKey } from './ui/inProcess';
import { planTargets, writeWorkspace } from './ui/plan';
import { readRequestLog } from './ui/requestLog';
import { type PauseResult, report, withLog } from './ui/summary';
import { firstShown, type PauseRecord, replayTarget } from './ui/workbenchReplay';

const ROOT = path.resolve(__dirname, '../..');
const DEFAULTS = {
  /** Held-out documents of sources no committed checkpoint trained on (models/train/unseen_heldout.py). */
  corpus: path.join(ROOT, 'models', '.work', 'corpus', 'val-unseen.jsonl'),
  /** bench:completion's selection: the same values pick the same files, lines and columns. */
  files: 12,
  positions: 4,
  keystrokes: 6,
  siblings: 4,
  seed: 1,
  /** Seed of the typing: key delays and which keystroke gets the pause in the middle of a line. */
  typingSeed: 1,
  minKeyMs: 60,
  maxKeyMs: 120,
  pauseMs: 1500,
  settleMs: 1000,
  /** 0 skips the in-process replay of the same requests. */
  compare: 1,
  /** Recomputes the figures from an earlier run's per-pause records instead of running. */
  records: '',
  out: path.join(ROOT, '.test-tmp', 'bench-ui', 'pauses.jsonl'),
};
type Args = typeof DEFAULTS;

const USAGE = `npm run bench:ui -- [--corpus FILE] [--files N] [--positions N] [--keystrokes N] [--siblings N] [--seed N]
  [--typing-seed N] [--min-key-ms N] [--max-key-ms N] [--pause-ms N] [--settle-ms N] [--compare 0|1] [--out FILE]
npm run bench:ui -- --records FILE [--pause-ms N]   (the figures again from a run's per-pause records)`;

function parseArgs(argv: readonly string[]): Args {
  const args: Record<string, string | number> = { ...DEFAULTS };
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index].replace(/^--/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
    const value = argv[index + 1];
    if (!(name in DEFAULTS) || value === undefined) throw new Error(`Unknown or incomplete option ${argv[index]}\n${USAGE}`);
    args[name] = typeof DEFAULTS[name as keyof Args] === 'number' ? Number(value) : value;
  }
  return args as Args;
}

/**
 * The extension's request lines are written at debug level, and those a newer key cancelled in
 * their debounce at trace level: the output channel's level is raised in the UI (not a setting).
 */
async function logAtTraceLevel(page: Page): Promise<void> {
  const pick = async (label: string) => {
    await page.keyboard.insertText(label);
    const row = `.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(label)}]`;
    await page.waitForSelector(row, { timeout: 30_000 });
    await page.click(row);
  };
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await pick('Developer: Set Log Level...');
  await pick('Local GPT');
  await pick('Trace');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 30_000 });
}

/** The figures of an earlier run, from its records (the first ghost text judged again from the frames). */
function summarizeRecords(file: string, pauseMs: number): void {
  const stored = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim().length > 0).map((line) => JSON.parse(line) as PauseResult);
  const results = stored.map((result) => withLog({ ...result, ...firstShown(result.frames, result.ghostBefore) }, result.logLines, pauseMs, undefined, result.inProcess));
  console.log(`figures from ${file} (${results.length} pauses, pauses of ${pauseMs} ms)`);
  for (const line of report(results, pauseMs)) console.log(line);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.records) {
    summarizeRecords(args.records, args.pauseMs);
    return;
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: npm run build first.');
  const targets = selectTargets(readHeldOut(args.corpus), {
    files: args.files,
    positionsPerFile: args.positions,
    siblingsPerFile: args.siblings,
    seed: args.seed,
  });
  const planned = planTargets(targets, args.keystrokes, seededRandom(args.typingSeed + 1));
  const pauses = planned.flatMap((target) => target.positions).reduce((sum, position) => sum + position.pauses.length, 0);
  console.log(`${targets.length} held-out files from ${args.corpus}, ${planned.reduce((sum, t) => sum + t.positions.length, 0)} lines, ${pauses} pauses of ${args.pauseMs} ms; keys every ${args.minKeyMs}-${args.maxKeyMs} ms`);
  const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' ');
  const loadAtStart = load();
  console.log(`load average at the start: ${loadAtStart} (${os.availableParallelism()} cores)`);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-gpt-bench-ui-'));
  process.once('exit', () => fs.rmSync(stateDir, { recursive: true, force: true }));
  const workspace = path.join(stateDir, 'workspace');
  writeWorkspace(workspace, planned);
  const records: PauseRecord[] = [];
  const logCopy = `${args.out.replace(/\.jsonl$/, '')}.extension.log`;
  fs.rmSync(logCopy, { force: true });
  let session: UiSession | undefined;
  let threads = 1;
  const started = Date.now();
  try {
    session = await startUiSession({ root: ROOT, stateDir, workspace });
    const page = session.page;
    await logAtTraceLevel(page);
    const status = await statusBar(page);
    threads = Number(/Threads: (\d+)/.exec(status)?.[1] ?? 1);
    console.log(`extension ready: ${/Model: [^|]*?\)/.exec(status)?.[0] ?? '?'}, ${/Backend: \w+/.exec(status)?.[0] ?? ''}, threads ${threads}`);
    const options = {
      pace: humanPace(args.typingSeed, args.minKeyMs, args.maxKeyMs),
      pauseMs: args.pauseMs,
      settleMs: args.settleMs,
      timeOrigin: await pageTimeOrigin(page),
      onRecord: (record: PauseRecord) => records.push(record),
      log: (line: string) => console.log(line),
    };
    for (const [index, target] of planned.entries()) {
      await replayTarget(page, target, options);
      const shown = records.filter((record) => record.latencyMs !== null).length;
      console.error(`${index + 1}/${planned.length} files, ${records.length} pauses, ${shown} with ghost text (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  } finally {
    // The extension's log goes next to the records (the state folder is removed at exit).
    const logFile = session?.extensionLogFile();
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    if (logFile) fs.copyFileSync(logFile, logCopy);
    await session?.close();
  }
  const loadAfter = load();
  console.log(`load average after the workbench run: ${loadAfter}`);
  const logLines = readRequestLog(logCopy);
  const compared = args.compare ? await replayInProcess(ROOT, targets, args.keystrokes, threads) : undefined;
  const results: PauseResult[] = records.map((record) =>
    withLog(record, logLines, args.pauseMs, compared?.samples.get(sampleKey(record.target, record.lineStart, record.typed))),
  );
  fs.writeFileSync(args.out, results.map((result) => JSON.stringify(result)).join('\n') + '\n');
  const summary = [
    `npm run bench:ui -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
    `${new Date(started).toISOString()}; load average at the start ${loadAtStart}, after the workbench run ${loadAfter} (${os.availableParallelism()} cores)`,
    ...report(results, args.pauseMs),
    `extension log lines read: ${logLines.length}; in-process comparison: ${compared ? `${compared.config}, ${threads} thread(s)` : 'skipped'}`,
    `per-pause records: ${path.relative(process.cwd(), args.out)}; the extension's log: ${path.relative(process.cwd(), logCopy)}`,
  ];
  fs.writeFileSync(`${args.out.replace(/\.jsonl$/, '')}.summary.txt`, summary.join('\n') + '\n');
  console.log(`\n${summary.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(`bench:ui: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
