/**
 * Engine benchmark (`npm run bench:engine -- [options]`): session load, cold prefill of 128/512/1024
 * tokens, decode ms/token at KV lengths 64/512/1024, prefill of 1-8 appended tokens with KV reuse,
 * and peak RSS, for this engine (onnxruntime-web WASM) at 1 and 2 threads, native onnxruntime-node
 * and transformers.js, on the same model and the same token ids. Each runtime runs in its own
 * process (separate thread pools and RSS). Prints medians and ratios; writes out/bench/engine.json.
 * A benchmark, not a test: it asserts nothing. The machine is shared, so compare ratios.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readModelFolder } from '../../src/engine/modelFolder';
import { NodeModelFiles } from '../../src/engine/nodeModelFiles';
import { resolveThreadCount } from '../../src/engine/threads';
import { ModelTokenizer } from '../../src/engine/tokenizer';
import { createRuntime, type RuntimeName } from './engine/runtimes';

const ROOT = findRepoRoot(__dirname);
const PREFILL_LENGTHS = [128, 512, 1024];
const DECODE_KV_LENGTHS = [64, 512, 1024];
const APPENDED = [1, 2, 4, 8];
const APPEND_BASE = 512;
const DECODE_STEPS = 16;

interface Args {
  model: string;
  dtype: 'q8' | 'fp32';
  reps: number;
  rounds: number;
  configs: string;
  /** A second model folder measured alike, interleaved, and compared metric by metric. */
  compare: string;
  out: string;
}

/** One configuration's raw samples per metric (pooled over rounds in the parent). */
interface Measurement {
  readonly runtime: RuntimeName;
  readonly threads: number;
  readonly samples: Record<string, number[]>;
}

const METRICS = [
  'session load (ms)',
  // The first request after load shows what the warm-up run hides (V8 tier-up of the WASM).
  'first prefill 512 after load (ms)',
  ...PREFILL_LENGTHS.map((length) => `prefill ${length} tok (ms)`),
  ...DECODE_KV_LENGTHS.map((length) => `decode @KV ${length} (ms/tok)`),
  ...APPENDED.map((count) => `+${count} tok on ${APPEND_BASE} cached (ms)`),
  'peak RSS (MB)',
];

function parseArgs(argv: readonly string[]): Args & { child?: string } {
  const defaultModel = ['lgc-small', 'lgc-fixture'].map((name) => path.join(ROOT, 'models', name)).find((dir) => fs.existsSync(path.join(dir, 'config.json')));
  const args: Record<string, string | number> = {
    model: defaultModel ?? '',
    dtype: 'q8',
    reps: 5,
    rounds: 1,
    configs: 'ort-web:1,ort-web:2,ort-node:1,ort-node:2,transformers.js:1,transformers.js:2',
    compare: '',
    out: path.join(ROOT, 'out', 'bench', 'engine.json'),
  };
  for (let index = 0; index < argv.length; index += 2) {
    const key = argv[index].replace(/^--/, '');
    if (!(key in args) && key !== 'child') throw new Error(`Unknown option ${argv[index]}\nnpm run bench:engine -- [--model DIR] [--dtype q8|fp32] [--reps N] [--rounds N] [--configs ort-web:1,ort-node:2,...] [--compare DIR] [--out FILE]`);
    args[key] = typeof args[key] === 'number' ? Number(argv[index + 1]) : argv[index + 1];
  }
  return args as unknown as Args & { child?: string };
}

/**
 * The lengths measured here can exceed the context a model states (lgc-small: its trained 512),
 * which the engine refuses. Speed does not depend on that number, so such a model is measured
 * from a temporary copy whose config allows the lengths; the text past the context is meaningless.
 */
function folderAllowingBenchLengths(model: string): string {
  const needed = Math.max(...PREFILL_LENGTHS, ...DECODE_KV_LENGTHS) + DECODE_STEPS + Math.max(...APPENDED) + 1;
  const configPath = path.join(model, 'config.json');
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const positionKey = ['max_position_embeddings', 'n_positions', 'n_ctx'].find((key) => typeof config[key] === 'number');
  if (!positionKey || (config[positionKey] as number) >= needed) return model;
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-engine-model-'));
  fs.cpSync(model, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, 'config.json'), JSON.stringify({ ...config, [positionKey]: needed }));
  console.log(`${model} states ${positionKey} ${config[positionKey]}; measuring speed on a copy that allows ${needed} (${copy})`);
  return copy;
}

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'engine'))) return dir;
  }
  throw new Error(`No repository root above ${start}`);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The same code tokens for every runtime: this repository's sources, tokenized by the model's tokenizer. */
async function benchTokens(modelDir: string, count: number): Promise<number[]> {
  const tokenizer = ModelTokenizer.fromFolder(await readModelFolder(new NodeModelFiles(modelDir)));
  const sources = ['src/engine', 'src/client', 'src/worker', 'src/core']
    .flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).filter((file) => file.endsWith('.ts')).map((file) => path.join(ROOT, dir, file)))
    .map((file) => fs.readFileSync(file, 'utf8'));
  const ids = tokenizer.encodeText(sources.join('\n'));
  if (ids.length < count) throw new Error(`only ${ids.length} benchmark tokens`);
  return ids.slice(0, count);
}

async function measure(runtime: RuntimeName, threads: number, args: Args): Promise<Measurement> {
  const ids = await benchTokens(args.model, 1100);
  const bench = createRuntime(runtime, { modelDir: args.model, dtype: args.dtype, threads, wasmDir: path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist') });
  const samples: Record<string, number[]> = Object.fromEntries(METRICS.map((metric) => [metric, []]));
  samples['session load (ms)'].push(await bench.load());
  samples['first prefill 512 after load (ms)'].push(await bench.coldPrefill(ids.slice(0, 512)));
  for (const length of PREFILL_LENGTHS) {
    for (let rep = 0; rep < args.reps; rep++) samples[`prefill ${length} tok (ms)`].push(await bench.coldPrefill(ids.slice(0, length)));
  }
  for (const length of DECODE_KV_LENGTHS) {
    for (let rep = 0; rep < Math.max(1, Math.ceil(args.reps / 2)); rep++) {
      samples[`decode @KV ${length} (ms/tok)`].push(...(await bench.decodeSteps(ids.slice(0, length), DECODE_STEPS)));
    }
  }
  for (const count of APPENDED) {
    for (let rep = 0; rep < args.reps; rep++) {
      const start = APPEND_BASE + ((rep * 8) % 64);
      samples[`+${count} tok on ${APPEND_BASE} cached (ms)`].push(await bench.appendedPrefill(ids.slice(0, APPEND_BASE), ids.slice(start, start + count)));
    }
  }
  await bench.dispose();
  samples['peak RSS (MB)'].push(process.resourceUsage().maxRSS / 1024);
  return { runtime, threads, samples };
}

/** The samples of all rounds of one configuration together. */
function poolRuns(runs: readonly Measurement[]): Measurement {
  const samples = Object.fromEntries(METRICS.map((metric) => [metric, runs.flatMap((run) => run.samples[metric])]));
  return { runtime: runs[0].runtime, threads: runs[0].threads, samples };
}

function table(results: readonly Measurement[], statistic: (values: readonly number[]) => number, name: string): string {
  const label = (result: Measurement) => `${result.runtime} ${result.threads}t`;
  // Ratios compare this engine at its default thread count here with the others at the same count.
  const threads = resolveThreadCount(0, os.availableParallelism());
  const web = results.find((result) => result.runtime === 'ort-web' && result.threads === threads) ?? results.find((result) => result.runtime === 'ort-web');
  const node = results.find((result) => result.runtime === 'ort-node' && result.threads === web?.threads);
  const tjs = results.find((result) => result.runtime === 'transformers.js' && result.threads === web?.threads) ?? results.find((result) => result.runtime === 'transformers.js');
  const value = (result: Measurement, metric: string) => statistic(result.samples[metric]);
  const format = (number: number) => (number < 10 ? number.toFixed(2) : number.toFixed(0));
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const header = [`metric (${name})`, ...results.map(label), ...(web && node ? [`${label(web)} / ${label(node)}`] : []), ...(web && tjs ? [`${label(web)} / ${label(tjs)}`] : [])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const metric of METRICS) {
    const cells = results.map((result) => format(value(result, metric)));
    if (web && node) cells.push(ratio(value(web, metric), value(node, metric)));
    if (web && tjs) cells.push(ratio(value(web, metric), value(tjs, metric)));
    lines.push(`| ${metric} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Medians of the second model beside the first's, configuration by configuration, with their ratio. */
function modelComparison(models: readonly string[], results: readonly (readonly Measurement[])[]): string {
  const [first, second] = results;
  const names = models.map((model) => path.basename(model));
  const header = ['metric (median)', ...first.flatMap((result) => {
    const label = `${result.runtime} ${result.threads}t`;
    return [`${label} ${names[0]}`, `${label} ${names[1]}`, `${names[1]} / ${names[0]}`];
  })];
  const format = (number: number) => (number < 10 ? number.toFixed(2) : number.toFixed(0));
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const metric of METRICS) {
    const cells = first.flatMap((result, index) => {
      const [a, b] = [median(result.samples[metric]), median(second[index].samples[metric])];
      return [format(a), format(b), `${(b / a).toFixed(2)}x`];
    });
    lines.push(`| ${metric} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.model) throw new Error('No model: pass --model DIR (models/lgc-small and models/lgc-fixture are missing)');
  if (args.child) {
    const [runtime, threads] = args.child.split(':');
    process.stdout.write(`${JSON.stringify(await measure(runtime as RuntimeName, Number(threads), args))}\n`);
    return;
  }
  console.log(`model ${args.model}${args.compare ? ` vs ${args.compare}` : ''} (${args.dtype}), ${args.reps} reps x ${args.rounds} rounds, medians; ${new Date().toISOString()}`);
  const models = [args.model, ...(args.compare ? [args.compare] : [])];
  const measuredModels = models.map(folderAllowingBenchLengths);
  const configs = args.configs.split(',');
  const runsByModel = models.map(() => new Map<string, Measurement[]>(configs.map((config) => [config, []])));
  // Rounds interleave the configurations (and models), so load from other processes on the machine hits all alike.
  for (let round = 0; round < args.rounds; round++) {
    for (const config of configs) {
      for (const [index, measuredModel] of measuredModels.entries()) {
        const output = execFileSync(process.execPath, [__filename, ...process.argv.slice(2), '--model', measuredModel, '--child', config], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
        runsByModel[index].get(config)!.push(JSON.parse(output.trim().split('\n').pop()!));
        console.log(`  round ${round + 1}: measured ${config}${models.length > 1 ? ` on ${models[index]}` : ''}`);
      }
    }
  }
  const runs = runsByModel[0];
  const results = [...runs.values()].map(poolRuns);
  if (runsByModel.length > 1) {
    console.log(`\n${modelComparison(models, runsByModel.map((byConfig) => [...byConfig.values()].map(poolRuns)))}\n`);
  }
  console.log(`\n${table(results, median, 'median')}\n`);
  console.log(`Least disturbed sample of each (the machine is shared; ratios of minimums show the runtimes' own speed):\n`);
  console.log(`${table(results, (values) => Math.min(...values), 'minimum')}\n`);
  const webOne = results.find((result) => result.runtime === 'ort-web' && result.threads === 1);
  const webTwo = results.find((result) => result.runtime === 'ort-web' && result.threads === 2);
  if (webOne && webTwo) {
    const threads = resolveThreadCount(0, os.availableParallelism());
    const speedup = (metric: string) => `${(median(webOne.samples[metric]) / median(webTwo.samples[metric])).toFixed(2)}x`;
    console.log(
      `ort-web 2 threads vs 1, medians (above 1x: 2 threads faster): prefill 512 ${speedup('prefill 512 tok (ms)')}, ` +
        `decode @KV 512 ${speedup('decode @KV 512 (ms/tok)')}, +4 tokens ${speedup('+4 tok on 512 cached (ms)')}; ` +
        `default here: ${threads} thread(s) for ${os.availableParallelism()} cores`,
    );
  }
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  const compared = runsByModel.length > 1 ? { compare: args.compare, compareRuns: Object.fromEntries(runsByModel[1]) } : {};
  fs.writeFileSync(args.out, JSON.stringify({ model: args.model, dtype: args.dtype, reps: args.reps, rounds: args.rounds, runs: Object.fromEntries(runs), ...compared }, null, 2));
  measuredModels.forEach((measured, index) => measured !== models[index] && fs.rmSync(measured, { recursive: true, force: true }));
  console.log(`figures written to ${path.relative(process.cwd(), args.out)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
