/**
 * Reading a test stage's own summary, whichever runner printed it, so that `npm test` can end
 * with one line that sums every stage. A stage whose output has no summary (it crashed, timed
 * out, or its runner printed why it could not complete) counts as one failure.
 */

export interface StageCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** mocha's spec reporter: "N passing", "N failing", "N pending". */
function mochaCounts(output: string): StageCounts | undefined {
  const count = (word: string) => {
    const matches = [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return matches.length === 0 ? undefined : Number(matches[matches.length - 1][1]);
  };
  const passed = count('passing');
  return passed === undefined ? undefined : { passed, failed: count('failing') ?? 0, skipped: count('pending') ?? 0 };
}

/** Python's unittest: "Ran N tests" then "OK (skipped=K)" or "FAILED (failures=F, errors=E, skipped=K)". */
function unittestCounts(output: string): StageCounts | undefined {
  const ran = [...output.matchAll(/^Ran (\d+) tests? in /gm)].at(-1);
  const verdict = [...output.matchAll(/^(OK|FAILED)(?: \(([^)]*)\))?\s*$/gm)].at(-1);
  if (!ran || !verdict) {
    return undefined;
  }
  const detail = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(verdict[2] ?? '')?.[1] ?? 0);
  const failed = detail('failures') + detail('errors') + detail('unexpected successes');
  const skipped = detail('skipped') + detail('expected failures');
  return { passed: Number(ran[1]) - failed - skipped, failed, skipped };
}

/** This project's runners: a last line "[label: ]N passed, N failed[, N skipped]" (the web runner's says "web: "). */
function runnerCounts(output: string): StageCounts | undefined {
  const line = [...output.matchAll(/^(?:[\w -]+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].at(-1);
  return line ? { passed: Number(line[1]), failed: Number(line[2]), skipped: Number(line[3] ?? 0) } : undefined;
}

/**
 * The counts a stage printed; a non-zero exit with no failure counted is one failure more, so a
 * crash after a green summary cannot pass.
 */
export function stageCounts(output: string, exitCode: number | null): StageCounts {
  const counts = runnerCounts(output) ?? mochaCounts(output) ?? unittestCounts(output);
  if (counts === undefined) {
    return exitCode === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  }
  return exitCode !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

export function summaryLine(counts: StageCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}

/** Runs a runner's main() (resolving with its exit code) and exits; an error still ends with a count line. */
export function exitWithCount(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
