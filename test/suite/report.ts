/** The contract between the suite index (in the extension host) and the runner that reads its report. */

/** File that receives mocha's spec reporter output; the runner prints it as it grows. */
export const REPORT_FILE_ENV = 'LOCAL_GPT_TEST_REPORT';
/** "1" when the runner prints to a terminal, so the reporter may use colours. */
export const COLOR_ENV = 'LOCAL_GPT_TEST_COLOR';

/** A mocha grep pattern: only the integration tests whose full title matches run (for focused runs). */
export const GREP_ENV = 'LOCAL_GPT_TEST_GREP';

/** "1" makes the suite kill its own extension host, for the runner's self-test of a crash. */
export const CRASH_HOST_ENV = 'LOCAL_GPT_TEST_CRASH_HOST';

export interface SuiteSummary {
  passes: number;
  failures: number;
  pending: number;
}

export function summaryFileFor(reportFile: string): string {
  return `${reportFile}.summary.json`;
}

export function formatSummary(summary: SuiteSummary): string {
  // "skipped", not mocha's "pending": "N passed, N failed, N skipped" is the form CI reads.
  const skipped = summary.pending > 0 ? `, ${summary.pending} skipped` : '';
  return `${summary.passes} passed, ${summary.failures} failed${skipped}`;
}

/**
 * How much slower than an idle machine this run is expected to be (set by `npm test` from the
 * load per core, or by hand); default time limits and per-test timeouts are multiplied by it.
 */
export const TIME_SCALE_ENV = 'LOCAL_GPT_TEST_TIME_SCALE';

export function timeScale(): number {
  const scale = Number(process.env[TIME_SCALE_ENV]);
  return scale > 0 ? scale : 1;
}

/** A limit in seconds: the environment's value as given, else the default times the time scale. */
export function limitMs(envName: string, defaultSeconds: number): number {
  const given = Number(process.env[envName]);
  return given > 0 ? given * 1000 : defaultSeconds * 1000 * timeScale();
}
