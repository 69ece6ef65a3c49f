import * as fs from 'node:fs';
import { isFewShotOff, withoutFewShot } from './completion/configNames';
import { REQUEST_SUBSETS, type SubsetField } from './completion/copyable';
import { comparePairedByLine, type LinePairedComparison, type LineOutcome } from './completion/paired';

/**
 * Pools the few-shot comparison of several bench runs (`npm run bench:completion -- ... --dump
 * FILE`, e.g. one per --seed, run side by side on separate cores): each line once (the first run
 * that typed it), lines as the trials, the exact sign test over the whole pool.
 *
 *   npm run bench:combine -- A.jsonl B.jsonl ... [--out FILE]
 *
 * --out writes the rows as JSON (models/train/record_eval.py --pooled reads it).
 */

/** The request subsets of bench:completion (copyable.ts) are marked too; absent from older dumps. */
export type DumpLine = {
  readonly line: string;
  readonly exact: Record<string, boolean>;
} & { readonly [subset in SubsetField]?: boolean };

function readDump(file: string): DumpLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((text) => text.trim().length > 0)
    .map((text, index) => {
      const parsed = JSON.parse(text) as Partial<DumpLine>;
      if (typeof parsed.line !== 'string' || typeof parsed.exact !== 'object' || parsed.exact === null) {
        throw new Error(`${file}:${index + 1} has no line and exact fields: dumps from before they were written cannot be pooled.`);
      }
      return parsed as DumpLine;
    });
}

/** The requests of every file, each line's requests from the first file that typed it. */
export function pooled(dumps: readonly (readonly DumpLine[])[]): DumpLine[] {
  const seen = new Set<string>();
  const out: DumpLine[] = [];
  for (const dump of dumps) {
    const lines = new Set(dump.map((request) => request.line));
    out.push(...dump.filter((request) => !seen.has(request.line)));
    lines.forEach((line) => seen.add(line));
  }
  return out;
}

function outcomesOf(requests: readonly DumpLine[], config: string): LineOutcome[] {
  return requests.map((request) => ({ line: request.line, exact: request.exact[config] === true }));
}

/** Lines with at least one exact request. */
function exactLineCount(outcomes: readonly LineOutcome[]): number {
  return new Set(outcomes.filter((outcome) => outcome.exact).map((outcome) => outcome.line)).size;
}

export interface PooledRow {
  readonly name: string;
  /** Lines with at least one exact request, few-shot off and on. */
  readonly exactLinesOff: number;
  readonly exactLinesOn: number;
  readonly byLine: LinePairedComparison;
}

/** The whole pool, then each of REQUEST_SUBSETS that every dump marks. */
const POOLS: readonly { readonly field?: SubsetField; readonly label: string }[] = [{ label: '' }, ...REQUEST_SUBSETS];

/** Each few-shot off configuration against the same one on: over all requests, then over each marked subset. */
export function pooledRows(requests: readonly DumpLine[]): PooledRow[] {
  const configs = Object.keys(requests[0]?.exact ?? {});
  const rows: PooledRow[] = [];
  for (const off of configs.filter(isFewShotOff)) {
    const on = configs.find((name) => name !== off && withoutFewShot(name) === withoutFewShot(off));
    if (on === undefined) continue;
    for (const { label, field } of POOLS) {
      if (field !== undefined && requests.some((request) => typeof request[field] !== 'boolean')) continue;
      const subset = field === undefined ? requests : requests.filter((request) => request[field] === true);
      const [offOutcomes, onOutcomes] = [off, on].map((config) => outcomesOf(subset, config));
      rows.push({
        name: withoutFewShot(off) + (label ? `, ${label}` : ''),
        exactLinesOff: exactLineCount(offOutcomes),
        exactLinesOn: exactLineCount(onOutcomes),
        byLine: comparePairedByLine(offOutcomes, onOutcomes),
      });
    }
  }
  return rows;
}

function main(): void {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  const files = outAt >= 0 ? [...argv.slice(0, outAt), ...argv.slice(outAt + 2)] : argv;
  if (files.length === 0 || (outAt >= 0 && out === undefined)) {
    throw new Error('usage: npm run bench:combine -- DUMP.jsonl [DUMP.jsonl ...] [--out FILE] (dumps of bench:completion --dump)');
  }
  const requests = pooled(files.map(readDump));
  console.log(`${files.length} runs, ${requests.length} requests, ${new Set(requests.map((request) => request.line)).size} distinct lines`);
  console.log('few-shot off -> on | lines | exact lines off | exact lines on | more exact off | more exact on | sign test p');
  console.log('--- | --- | --- | --- | --- | --- | ---');
  const rows = pooledRows(requests);
  for (const row of rows) {
    const { byLine } = row;
    console.log(`${row.name} | ${byLine.lines} | ${row.exactLinesOff} | ${row.exactLinesOn} | ${byLine.onlyFirst} | ${byLine.onlySecond} | ${byLine.signTestP.toPrecision(2)}`);
  }
  if (out !== undefined) {
    fs.writeFileSync(out, JSON.stringify({ runs: files, requests: requests.length, rows }, null, 2) + '\n');
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`bench:combine: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
