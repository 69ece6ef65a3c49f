/**
 * npm run test:faults: every fault case through the real CLI, then a table (case, expected,
 * result) and a last line "N passed, N failed". Exits non-zero on any failure.
 *   LOCAL_GPT_FAULTS_GREP   run only the cases whose name matches this pattern
 */
import * as fs from 'node:fs';
import { CASES } from './cases';
import { cli } from './cliRun';
import { exitWithCount } from '../runner/stageCounts';

async function main(): Promise<number> {
  if (!fs.existsSync(cli)) {
    console.error(`${cli} is missing: run npm run build first.`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const grep = process.env.LOCAL_GPT_FAULTS_GREP ? new RegExp(process.env.LOCAL_GPT_FAULTS_GREP) : undefined;
  const rows: { name: string; expected: string; ok: boolean; result: string; seconds: number }[] = [];
  for (const fault of CASES.filter((candidate) => !grep || grep.test(candidate.name))) {
    const started = Date.now();
    const outcome = await fault.run().catch((error: unknown) => ({ ok: false, result: `threw: ${error instanceof Error ? error.message : String(error)}` }));
    const row = { name: fault.name, expected: fault.expected, ...outcome, seconds: (Date.now() - started) / 1000 };
    rows.push(row);
    console.log(`${row.ok ? '✔' : '✘'} ${row.name} (${row.seconds.toFixed(1)} s): ${row.result}`);
  }
  console.log('\n| case | expected | result |\n|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.expected} | ${row.ok ? 'ok' : 'FAILED'}: ${row.result.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')} |`);
  }
  const failed = rows.filter((row) => !row.ok).length;
  console.log(`\n${rows.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

exitWithCount(main);
