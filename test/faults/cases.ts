/**
 * The fault cases: hostile input, hostile sizes and broken model folders through the real CLI
 * (dist/cli.js, the extension's pipeline and worker-free engine), each with what must happen.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CliRun, fixtureModel, request, runCli } from './cliRun';

export interface FaultCase {
  readonly name: string;
  readonly expected: string;
  /** Resolves with what happened, and whether that is what was expected. */
  readonly run: () => Promise<{ readonly ok: boolean; readonly result: string }>;
}

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const STACK_TRACE = /\n\s+at .+\(.*:\d+:\d+\)/;

function completions(run: CliRun): string[] {
  return run.records.filter((record) => typeof record.completion === 'string').map((record) => record.completion as string);
}

function errors(run: CliRun): string[] {
  return run.records.filter((record) => typeof record.error === 'string').map((record) => record.error as string);
}

function summary(run: CliRun): string {
  return `exit ${run.code}, ${completions(run).length} completion(s), ${errors(run).length} error record(s), peak RSS ${Math.round(run.peakRssMb)} MB`;
}

/** One request with this prefix gets a completion record (any text) and the CLI exits 0. */
function answered(name: string, prefix: string, extra: Record<string, unknown> = {}): FaultCase {
  return {
    name,
    expected: 'a completion record, exit 0',
    run: async () => {
      const run = await runCli({ lines: () => [request(1, prefix, extra)] });
      return { ok: run.code === 0 && completions(run).length === 1, result: summary(run) };
    },
  };
}

/** A copy of the fixture model folder with one change, for the broken-folder cases. */
function brokenModel(change: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgc-broken-'));
  fs.cpSync(fixtureModel, dir, { recursive: true });
  change(dir);
  return dir;
}

function refusesModel(name: string, change: (dir: string) => void, names: RegExp): FaultCase {
  return {
    name,
    expected: 'exit 1, one line naming the file, no stack trace',
    run: async () => {
      const dir = brokenModel(change);
      try {
        const run = await runCli({ args: ['--model', dir], lines: () => [request(1, 'const x = ')] });
        const message = run.stderr.trim();
        const ok = run.code === 1 && message.split('\n').length === 1 && names.test(message) && !STACK_TRACE.test(run.stderr);
        return { ok, result: `exit ${run.code}: ${message.slice(0, 140)}` };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const CASES: readonly FaultCase[] = [
  {
    name: 'malformed lines',
    expected: 'an error record each, the next line served',
    run: async () => {
      const run = await runCli({ lines: () => ['not json', '{"id":1}', '[1,2]', request(4, 'const total = ')] });
      return { ok: run.code === 0 && errors(run).length === 3 && completions(run).length === 1, result: summary(run) };
    },
  },
  answered('10 MB prefix', 'let value = compute(1);\n'.repeat(440_000)),
  answered('2 MB single line', `const data = "${'a'.repeat(2_000_000)}`),
  answered('binary bytes', `const x = ${String.fromCharCode(...Array.from({ length: 600 }, (_, index) => (index * 37) % 32))}\uFFFD\uFFFD`),
  answered('NUL characters', 'const a = "\u0000\u0000";\nconst b = '),
  answered('lone surrogates', 'const s = "\uD800 \uDC00";\nconst t = "\uDBFF'),
  {
    name: 'right-to-left text and combining marks',
    expected: 'a completion with no bidi control',
    run: async () => {
      const run = await runCli({ lines: () => [request(1, 'const greeting = "שלום مرحبا";\n// cafe\u0301 nai\u0308ve\nconst label = ')] });
      const texts = completions(run);
      return { ok: run.code === 0 && texts.length === 1 && !BIDI_CONTROLS.test(texts[0]), result: `${summary(run)}: ${JSON.stringify(texts[0] ?? '')}` };
    },
  },
  {
    name: 'Trojan Source in another open file',
    expected: 'no bidi control in the suggestion',
    run: async () => {
      const other = 'const isAdmin = false;\nif (isAdmin) { // \u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only\n  grantAccess("\u202Eroot\u202C");\n}\n';
      const run = await runCli({ lines: () => [request(1, 'const isAdmin = false;\nif (isAdmin) { // ', { openFiles: [{ path: 'src/other.ts', text: other }] })] });
      const texts = completions(run);
      return { ok: run.code === 0 && texts.length === 1 && !BIDI_CONTROLS.test(texts[0]), result: `${summary(run)}: ${JSON.stringify(texts[0] ?? '')}` };
    },
  },
  {
    name: '10,000 requests',
    expected: 'all answered, memory flat (peak RSS within 60 MB of 1,000 requests)',
    run: async () => {
      const lines = (count: number) =>
        function* () {
          for (let index = 0; index < count; index++) yield request(index, `const value${index % 97} = compute(${index});\nconst next = `);
        };
      const args = ['--model', fixtureModel, '--threads', '1'];
      const small = await runCli({ args, lines: lines(1_000), timeoutMs: 600_000 });
      const large = await runCli({ args, lines: lines(10_000), timeoutMs: 1_800_000 });
      const ok = small.code === 0 && large.code === 0 && completions(large).length === 10_000 && large.peakRssMb - small.peakRssMb <= 60;
      return { ok, result: `1,000: peak ${Math.round(small.peakRssMb)} MB; 10,000: ${completions(large).length} answered, peak ${Math.round(large.peakRssMb)} MB` };
    },
  },
  {
    name: 'a line over --max-line-bytes',
    expected: 'an error record naming the limit, the next line served',
    run: async () => {
      const run = await runCli({ args: ['--max-line-bytes', '1000000'], lines: () => [request(1, 'x'.repeat(2_000_000)), request(2, 'const total = ')] });
      const named = errors(run).some((error) => /1000000|1 MB|1,000,000/.test(error));
      return { ok: run.code === 0 && named && completions(run).length === 1, result: `${summary(run)}: ${errors(run)[0]?.slice(0, 100) ?? ''}` };
    },
  },
  {
    name: 'stdout closed early (| head -1)',
    expected: 'exit 0, no stack trace',
    run: async () => {
      const run = await runCli({ firstLineOnly: true, lines: () => [request(1, 'const a = '), request(2, 'const b = '), request(3, 'const c = ')] });
      return { ok: run.code === 0 && !STACK_TRACE.test(run.stderr) && !/EPIPE/.test(run.stderr), result: `exit ${run.code}${run.stderr.trim() ? `: ${run.stderr.trim().slice(0, 100)}` : ''}` };
    },
  },
  {
    name: '--threads 64',
    expected: 'capped at the core count, answered',
    run: async () => {
      const run = await runCli({ args: ['--threads', '64'], lines: () => [request(1, 'const total = ')] });
      const capped = new RegExp(`\\b${os.availableParallelism()}\\b`).test(run.stderr);
      return { ok: run.code === 0 && completions(run).length === 1 && capped, result: `${summary(run)}; stderr: ${run.stderr.trim().slice(0, 100)}` };
    },
  },
  {
    name: 'no network (network namespace)',
    expected: 'answered with no network at all',
    run: async () => {
      const probe = await runCli({ wrapper: ['unshare', '--net'], lines: () => [request(1, 'const total = ')] });
      if (probe.code !== 0 && /unshare/.test(probe.stderr)) {
        return { ok: true, result: `skipped: no network namespace here (${probe.stderr.trim().slice(0, 80)})` };
      }
      return { ok: probe.code === 0 && completions(probe).length === 1, result: summary(probe) };
    },
  },
  refusesModel('model folder without config.json', (dir) => fs.rmSync(path.join(dir, 'config.json')), /config\.json/),
  refusesModel('model folder without tokenizer.json', (dir) => fs.rmSync(path.join(dir, 'tokenizer.json')), /tokenizer\.json/),
  refusesModel(
    'corrupt ONNX file',
    (dir) => {
      fs.rmSync(path.join(dir, 'onnx', 'model.onnx'), { force: true });
      fs.writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), Buffer.from('not an onnx model at all'));
    },
    /model_quantized\.onnx/,
  ),
  refusesModel(
    'config.json vocabulary unlike the ONNX logits',
    (dir) => {
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, vocab_size: 50257 }));
    },
    /config\.json.*onnx|onnx.*config\.json/,
  ),
];
