/**
 * Few-shot pattern benchmark (`npm run bench:fewshot -- [--model DIR[,DIR2]]`): runs the transform
 * command's core (src/core/prompts/fewShotGeneration.ts) on hand-written, real-world patterns
 * (test/fixtures/prompts/fewShot/patterns.json) with each model, greedy, and prints how many new
 * inputs each got exactly right, side by side, with the outputs. A benchmark: it asserts nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFewShotSelection } from '../../src/core/prompts/fewShotExamples';
import { fewShotTokenBudget, generateFewShotOutput } from '../../src/core/prompts/fewShotGeneration';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { InProcessEngine } from '../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../src/engine/nodeModelFiles';
import PATTERNS from '../fixtures/prompts/fewShot/patterns.json';

const ROOT = path.resolve(__dirname, '../..');
const USAGE = 'npm run bench:fewshot -- [--model DIR[,DIR...]] [--out FILE]';

interface PatternResult {
  readonly pattern: string;
  readonly outputs: readonly (string | null)[];
  readonly right: number;
}

async function runModel(dir: string): Promise<PatternResult[]> {
  const engine = await InProcessEngine.load(new NodeModelFiles(dir), { threads: 1, wasmDir: path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist'), warmUp: false });
  try {
    const results: PatternResult[] = [];
    for (const pattern of PATTERNS) {
      const task = parseFewShotSelection(pattern.selection);
      const maxNewTokens = await fewShotTokenBudget(engine, task, DEFAULT_SETTINGS.prompt.maxTokens);
      const outputs: (string | null)[] = [];
      for (const index of task.inputs.keys()) {
        outputs.push((await generateFewShotOutput(engine, task, index, maxNewTokens)).output ?? null);
      }
      results.push({ pattern: pattern.name, outputs, right: outputs.filter((output, index) => output === pattern.expected[index]).length });
    }
    return results;
  } finally {
    await engine.dispose();
  }
}

function parseArgs(argv: readonly string[]): { models: string[]; out: string } {
  const args = { models: [path.join(ROOT, 'models', 'lgc-small')], out: path.join(ROOT, 'out', 'bench', 'fewshot.json') };
  for (let index = 0; index < argv.length; index += 2) {
    const value = argv[index + 1];
    if (argv[index] === '--model' && value) args.models = value.split(',');
    else if (argv[index] === '--out' && value) args.out = value;
    else throw new Error(`Unknown or incomplete option ${argv[index]}\n${USAGE}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const byModel: { model: string; results: PatternResult[] }[] = [];
  for (const model of args.models) {
    byModel.push({ model, results: await runModel(model) });
  }
  const inputs = PATTERNS.reduce((sum, pattern) => sum + pattern.expected.length, 0);
  console.log(`pattern | ${byModel.map(({ model }) => path.basename(model)).join(' | ')}`);
  console.log(`--- | ${byModel.map(() => '---').join(' | ')}`);
  PATTERNS.forEach((pattern, index) => {
    const cells = byModel.map(({ results }) => `${results[index].right}/${pattern.expected.length} ${JSON.stringify(results[index].outputs)}`);
    console.log(`${pattern.name} | ${cells.join(' | ')}`);
  });
  const totals = byModel.map(({ results }) => results.reduce((sum, result) => sum + result.right, 0));
  console.log(`all ${PATTERNS.length} patterns | ${totals.map((total) => `${total}/${inputs}`).join(' | ')}`);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify({ inputs, models: byModel.map(({ model, results }, index) => ({ model, right: totals[index], results })) }, null, 2) + '\n');
  console.log(`\nfigures written to ${path.relative(process.cwd(), args.out)}`);
}

main().catch((error: unknown) => {
  console.error(`bench:fewshot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
