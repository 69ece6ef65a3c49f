/**
 * Completion benchmark (`npm run bench:completion -- [options]`): replays typing on held-out
 * files through the extension's pipeline and the real in-process engine, and compares few-shot
 * context off/on and the n-gram cache off/on in one run. Prints a table and writes the figures
 * to out/bench/completion.json. A benchmark, not a test: it asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { optionsFromSettings } from '../../src/core/completion/pipelineOptions';
import type { FimOrder } from '../../src/core/completion/template';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { InProcessEngine } from '../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../src/engine/nodeModelFiles';
import { DEFAULT_NGRAM_BLEND, type NgramMixing } from '../../src/engine/ngram/ngramBlendProcessor';
import { resolveThreadCount } from '../../src/engine/threads';
import { measureBlendCost, measureDecodeCost } from './completion/blendCost';
import { readHeldOut, selectTargets } from './completion/corpus';
import { configName, withoutFewShot } from './completion/configNames';
import { REQUEST_SUBSETS, type SubsetField } from './completion/copyable';
import { type Sample, summarize, type Summary } from './completion/metrics';
import { comparePaired, comparePairedByLine, type LinePairedComparison, type PairedComparison } from './completion/paired';
import { type BenchConfig, ConfigReplay } from './completion/replay';

const ROOT = path.resolve(__dirname, '../..');
const DEFAULTS = {
  model: path.join(ROOT, 'models', 'lgc-small'),
  corpus: path.join(ROOT, 'models', '.work', 'corpus', 'val.jsonl'),
  files: 12,
  positions: 4,
  keystrokes: 6,
  siblings: 4,
  /** Target files per held-out package; more than 1 gives more requests from the same packages. */
  targetsPerSource: 1,
  /** Lines typed: any code line, or only those holding a name from an open sibling (copyable.ts). */
  lines: 'any',
  /** Sibling files open beside the target: its folder's first, or the files it imports first. */
  open: 'folder',
  seed: 1,
  threads: 0,
  /** Token budgets; 0 keeps the extension's defaults (localGpt.context.maxTokens, localGpt.fewShot.maxTokens). */
  contextTokens: 0,
  fewShotTokens: 0,
  /** Caps the model context the pipeline plans for; 0 trusts the model's config. */
  modelContext: 0,
  fimOrder: 'spm' as FimOrder,
  /** Blends compared with the GPT alone and the cache alone, comma-separated: linear, log-linear. */
  ngramMixing: 'linear',
  /** Which rows to run, comma-separated: gpt (the GPT alone), ngram (the cache alone), blend. */
  rows: 'gpt,ngram,blend',
  out: path.join(ROOT, 'out', 'bench', 'completion.json'),
  /** When set, a JSON line per request: its line, the real rest of the line (and whether the open files hold a name of it, or all of it), each configuration's suggestion and whether it was exact. */
  dump: '',
};
type BenchArgs = typeof DEFAULTS;

const USAGE = `npm run bench:completion -- [--model DIR] [--corpus FILE] [--files N] [--positions N]
  [--keystrokes N] [--siblings N] [--targets-per-source N] [--lines any|copyable] [--open folder|imports] [--seed N] [--threads N] [--context-tokens N] [--few-shot-tokens N]
  [--model-context N] [--fim-order spm|psm] [--ngram-mixing linear[,log-linear]] [--rows gpt,ngram,blend] [--out FILE] [--dump FILE]`;

function parseArgs(argv: readonly string[]): BenchArgs {
  const args: Record<string, string | number> = { ...DEFAULTS };
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index].replace(/^--/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
    const value = argv[index + 1];
    if (!(name in DEFAULTS) || value === undefined) {
      throw new Error(`Unknown or incomplete option ${argv[index]}\n${USAGE}`);
    }
    args[name] = typeof DEFAULTS[name as keyof BenchArgs] === 'number' ? Number(value) : value;
  }
  return args as BenchArgs;
}

/** For few-shot off and on: the GPT alone, the n-gram cache alone, and each blend of the two (those of `rows`). */
function configs(fimOrder: FimOrder, blends: readonly NgramMixing[], rows: string): BenchConfig[] {
  const wanted = new Set(rows.split(','));
  for (const row of wanted) {
    if (!['gpt', 'ngram', 'blend'].includes(row)) throw new Error(`Unknown row ${row} in --rows\n${USAGE}`);
  }
  return [false, true].flatMap((fewShot) => [
    ...(wanted.has('gpt') ? [{ name: configName(fewShot, 'GPT alone'), fewShot, ngramCache: false, fimOrder }] : []),
    ...(wanted.has('ngram') ? [{ name: configName(fewShot, 'n-gram cache alone'), fewShot, ngramCache: true, ngramMixing: 'cache-only' as const, fimOrder }] : []),
    ...(wanted.has('blend') ? blends.map((mixing) => ({ name: configName(fewShot, `blend (${mixing})`), fewShot, ngramCache: true, ngramMixing: mixing, fimOrder })) : []),
  ]);
}

function parseMixings(list: string): NgramMixing[] {
  const mixings = list.split(',').filter((mixing) => mixing.length > 0);
  for (const mixing of mixings) {
    if (mixing !== 'linear' && mixing !== 'log-linear') throw new Error(`Unknown --ngram-mixing ${mixing}\n${USAGE}`);
  }
  return mixings as NgramMixing[];
}

function row(name: string, summary: Summary): string {
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
  return [
    name,
    summary.requests,
    summary.p50Ms.toFixed(0),
    summary.p95Ms.toFixed(0),
    summary.completeP95Ms.toFixed(0),
    percent(summary.exactMatch),
    summary.editSimilarity.toFixed(3),
    percent(summary.shownRate),
    percent(summary.kvHitRate),
    percent(summary.kvReusedShare),
    percent(summary.reuseRate),
  ].join(' | ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.lines !== 'any' && args.lines !== 'copyable') throw new Error(`Unknown --lines ${args.lines}\n${USAGE}`);
  if (args.open !== 'folder' && args.open !== 'imports') throw new Error(`Unknown --open ${args.open}\n${USAGE}`);
  const targets = selectTargets(readHeldOut(args.corpus), {
    files: args.files,
    positionsPerFile: args.positions,
    siblingsPerFile: args.siblings,
    targetsPerSource: args.targetsPerSource,
    lines: args.lines,
    open: args.open,
    seed: args.seed,
  });
  if (!fs.existsSync(path.join(args.model, 'config.json'))) {
    throw new Error(`No model in ${args.model}; pass --model DIR (models/lgc-fixture is the tiny test model).`);
  }
  const threads = resolveThreadCount(args.threads, os.availableParallelism());
  const wasmDir = path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
  const engine = await InProcessEngine.load(new NodeModelFiles(args.model), { threads, wasmDir, warmUp: true });
  const info = await engine.info();
  const positions = targets.reduce((sum, target) => sum + target.positions.length, 0);
  console.log(`model ${info.id} (context ${info.contextTokens}), ${threads} threads, ${targets.length} held-out files, ${positions} positions (${args.lines} lines, siblings open by ${args.open}), up to ${args.keystrokes} keystrokes each, FIM ${args.fimOrder}`);
  const defaults = optionsFromSettings(DEFAULT_SETTINGS);
  const options = {
    ...defaults,
    contextTokens: args.contextTokens || defaults.contextTokens,
    fewShotTokens: args.fewShotTokens || defaults.fewShotTokens,
  };
  console.log(
    `budgets: context ${options.contextTokens} tokens, few-shot ${options.fewShotTokens} tokens, ${options.maxNewTokens} new tokens at most` +
      (args.modelContext ? `, model context capped at ${args.modelContext}` : ''),
  );
  // V8 runs the WASM on its baseline compiler for the first seconds: an untimed pass over the
  // first file keeps that out of the figures.
  const maxContext = args.modelContext || undefined;
  const benchConfigs = configs(args.fimOrder, parseMixings(args.ngramMixing), args.rows);
  await new ConfigReplay(engine, benchConfigs[0], options, args.keystrokes, maxContext).replay(targets[0]);
  // Configurations take turns file by file, in a rotating order, so that a machine that slows
  // down or speeds up during the run (other work, JIT tiers) biases none of them.
  const replays = benchConfigs.map((config) => new ConfigReplay(engine, config, options, args.keystrokes, maxContext));
  for (const [index, target] of targets.entries()) {
    for (let turn = 0; turn < replays.length; turn++) {
      const replay = replays[(index + turn) % replays.length];
      // One engine serves every configuration: its blend is set for each one's turn.
      engine.engine.configureNgramBlend({ ...DEFAULT_NGRAM_BLEND, mixing: replay.config.ngramMixing ?? DEFAULT_NGRAM_BLEND.mixing });
      await replay.replay(target);
    }
    console.error(`${index + 1}/${targets.length} files`);
  }
  const results = replays.map((replay) => ({ config: replay.config, samples: replay.samples, summary: summarize(replay.samples) }));
  // config.json states the vocabulary size of every model we ship; the logits are that long.
  const blendCost = measureBlendCost(engine.engine, targets, engine.engine.info.vocabSize ?? 0);
  const decodeCost = await measureDecodeCost(engine.engine, targets);
  await engine.dispose();
  console.log('\nconfig | requests | p50 ms | p95 ms | p95 ms whole | exact match | edit sim | shown | KV hit | KV reused | cache/in-flight');
  console.log('--- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---');
  for (const { config, summary } of results) {
    console.log(row(config.name, summary));
  }
  const paired = fewShotPairs(results);
  if (paired.length > 0) {
    console.log('\nfew-shot off -> on, same requests | exact only off | exact only on | both | sign test p | edit sim gain | lines: more exact off | more exact on | sign test p');
    console.log('--- | --- | --- | --- | --- | --- | --- | --- | ---');
    for (const { name, comparison, byLine, subsets } of paired) {
      console.log(pairedRow(name, comparison, byLine));
      for (const subset of subsets) {
        console.log(pairedRow(`${name}, only the ${subset.comparison.pairs} requests (${subset.byLine.lines} lines): ${subset.label}`, subset.comparison, subset.byLine));
      }
    }
  }
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  console.log(
    `\nn-gram blend cost per decode step (the processor alone, ${blendCost.steps} steps, vocabulary of the model): ` +
      `p50 ${blendCost.p50Us.toFixed(0)} us, p95 ${blendCost.p95Us.toFixed(0)} us; cache update: first ${blendCost.firstUpdateP50Ms.toFixed(1)} ms, ` +
      `per keystroke ${blendCost.keystrokeUpdateP50Ms.toFixed(2)} ms (p50)`,
  );
  console.log(
    `decode step on the model (${decodeCost.tokens} steps, prefill excluded): GPT alone p50 ${decodeCost.gptP50Ms.toFixed(2)} ms, ` +
      `blended p50 ${decodeCost.blendedP50Ms.toFixed(2)} ms (+${(decodeCost.blendedP50Ms - decodeCost.gptP50Ms).toFixed(2)} ms, ` +
      `ratio ${(decodeCost.blendedP50Ms / decodeCost.gptP50Ms).toFixed(2)})`,
  );
  fs.writeFileSync(args.out, JSON.stringify({ model: info.id, threads, args, results: results.map(({ config, summary }) => ({ config, summary })), paired, blendCost, decodeCost }, null, 2) + '\n');
  console.log(`\nfigures written to ${path.relative(process.cwd(), args.out)}`);
  if (args.dump) {
    fs.writeFileSync(args.dump, dumpLines(results));
    console.log(`requests written to ${path.relative(process.cwd(), args.dump)}`);
  }
}

/** One JSON line per request, every configuration's suggestion side by side (all replayed the same keystrokes). */
function dumpLines(results: readonly { config: BenchConfig; samples: readonly Sample[] }[]): string {
  const first = results[0]?.samples ?? [];
  return first
    .map((sample, index) =>
      JSON.stringify({
        line: sample.line,
        expected: sample.expected,
        ...Object.fromEntries(REQUEST_SUBSETS.map(({ field }) => [field, sample[field]])),
        suggested: Object.fromEntries(results.map(({ config, samples }) => [config.name, samples[index].suggested])),
        exact: Object.fromEntries(results.map(({ config, samples }) => [config.name, samples[index].exact])),
      }),
    )
    .map((line) => line + '\n')
    .join('');
}

function pairedRow(name: string, c: PairedComparison, lines: LinePairedComparison): string {
  return (
    `${name} | ${c.onlyFirst} | ${c.onlySecond} | ${c.both} | ${c.signTestP.toPrecision(2)} | ${c.editSimilarityGain >= 0 ? '+' : ''}${c.editSimilarityGain.toFixed(3)}` +
    ` | ${lines.onlyFirst} | ${lines.onlySecond} | ${lines.signTestP.toPrecision(2)}`
  );
}

interface FewShotPair {
  readonly name: string;
  readonly comparison: PairedComparison;
  readonly byLine: LinePairedComparison;
  /** The same comparisons on each of REQUEST_SUBSETS alone. */
  readonly subsets: readonly { readonly field: SubsetField; readonly label: string; readonly comparison: PairedComparison; readonly byLine: LinePairedComparison }[];
}

/** Each configuration with few-shot off beside the same one with it on (same requests, in order). */
function fewShotPairs(results: readonly { config: BenchConfig; samples: readonly Sample[] }[]): FewShotPair[] {
  const sameButFewShot = (a: BenchConfig, b: BenchConfig) =>
    a.ngramCache === b.ngramCache && a.ngramMixing === b.ngramMixing && a.fimOrder === b.fimOrder;
  return results.flatMap(({ config, samples }) => {
    const on = config.fewShot ? undefined : results.find((other) => other.config.fewShot && sameButFewShot(config, other.config));
    if (!on) return [];
    return [
      {
        name: withoutFewShot(config.name),
        comparison: comparePaired(samples, on.samples),
        byLine: comparePairedByLine(samples, on.samples),
        subsets: REQUEST_SUBSETS.map(({ field, label }) => {
          const [offSamples, onSamples] = [samples, on.samples].map((all) => all.filter((sample) => sample[field]));
          return { field, label, comparison: comparePaired(offSamples, onSamples), byLine: comparePairedByLine(offSamples, onSamples) };
        }),
      },
    ];
  });
}

main().catch((error: unknown) => {
  console.error(`bench:completion: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
