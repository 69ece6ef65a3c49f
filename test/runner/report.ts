/** Reading the suite's report file from the runner side: live printing and the final verdict. */
import * as fs from 'node:fs';
import { formatSummary, SuiteSummary, summaryFileFor } from '../suite/report';

/** Prints what is appended to a file, polling (the writer is another process). */
export function followFile(file: string, write: (text: string) => void): { stop(): void } {
  let offset = 0;
  const readNew = () => {
    if (!fs.existsSync(file)) {
      return;
    }
    const size = fs.statSync(file).size;
    if (size < offset) {
      offset = 0; // the suite truncates the file when it starts
    }
    if (size > offset) {
      const buffer = Buffer.alloc(size - offset);
      const fd = fs.openSync(file, 'r');
      try {
        fs.readSync(fd, buffer, 0, buffer.length, offset);
      } finally {
        fs.closeSync(fd);
      }
      offset = size;
      write(buffer.toString('utf8'));
    }
  };
  const timer = setInterval(readNew, 100);
  return {
    stop() {
      clearInterval(timer);
      readNew();
    },
  };
}

export interface Verdict {
  ok: boolean;
  /** Last line of the run: "N passed, N failed" or why there is no such count. */
  line: string;
}

/**
 * Combines the suite's summary file with the extension host's exit code: both must say "passed",
 * so a host that crashed after the tests, or a suite that never ran, cannot look green.
 */
export function verdict(reportFile: string, hostExitCode: number | undefined, failure?: Error): Verdict {
  const summaryFile = summaryFileFor(reportFile);
  if (!fs.existsSync(summaryFile)) {
    const reason =
      failure?.message ??
      `the extension host ended (exit code ${hostExitCode}) before the suite reported: it crashed or the suite did not start`;
    return { ok: false, line: `Integration tests did not complete: ${reason}` };
  }
  const summary: SuiteSummary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const line = formatSummary(summary);
  if (failure) {
    return { ok: false, line: `${line} (then: ${failure.message})` };
  }
  if (summary.failures === 0 && hostExitCode !== 0) {
    return { ok: false, line: `${line} (but the extension host exited with code ${hostExitCode})` };
  }
  return { ok: summary.failures === 0 && summary.passes > 0, line };
}

/** Runs a runner's main() and exits 0 only if it resolved true; an error still ends with a verdict line. */
export function exitWhenDone(main: () => Promise<boolean>): void {
  main().then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      console.log('Integration tests did not complete: see the error above.');
      process.exit(1);
    },
  );
}
