/** Running dist/cli.js for the fault cases: one process, its JSON lines, its exit and its memory. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '..', '..', '..');
export const cli = path.join(root, 'dist', 'cli.js');
export const fixtureModel = path.join(root, 'models', 'lgc-fixture');

export interface CliRun {
  readonly code: number | null;
  readonly records: Record<string, unknown>[];
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory of the CLI process, from /proc (0 where there is none). */
  readonly peakRssMb: number;
}

export interface CliInput {
  readonly args?: readonly string[];
  /** Written to stdin, then stdin is closed. */
  readonly lines: () => Iterable<string>;
  /** Runs the command under this prefix (e.g. `unshare --net`). */
  readonly wrapper?: readonly string[];
  /** Reads only the first line of stdout, then closes it (a `| head -1`). */
  readonly firstLineOnly?: boolean;
  readonly timeoutMs?: number;
}

export function runCli(input: CliInput): Promise<CliRun> {
  const command = [...(input.wrapper ?? []), process.execPath, cli, 'complete', ...(input.args ?? [])];
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRssMb = 0;
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(child.pid))), 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (input.firstLineOnly && stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(timer);
      const records = stdout
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
      resolve({ code, records, stdout, stderr, peakRssMb });
    });
    void (async () => {
      for (const line of input.lines()) {
        if (!child.stdin.write(`${line}\n`)) await new Promise((drained) => child.stdin.once('drain', drained));
      }
      child.stdin.end();
    })().catch(() => undefined);
  });
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const status: string = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function request(id: string | number, prefix: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, path: 'src/a.ts', languageId: 'typescript', prefix, suffix: '\n', ...extra });
}
