import * as readline from 'node:readline';
import { CompletionPipeline } from '../core/completion/completionPipeline';
import { optionsFromSettings } from '../core/completion/pipelineOptions';
import { DEFAULT_SETTINGS } from '../core/settings';
import { type CompleteArgs, parseArgs, USAGE } from './args';
import { runComplete } from './completeCommand';
import { defaultModelDir, loadEngine } from './loadEngine';

/** Replaced at build time by esbuild's `define` with package.json's version. */
declare const LOCAL_GPT_VERSION: string;

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
/** Wrong arguments, as most command-line tools report them. */
const EXIT_USAGE = 2;

async function complete(args: CompleteArgs): Promise<number> {
  const engine = await loadEngine(args.modelDir ?? defaultModelDir(__dirname), args.threads, __dirname);
  try {
    const options = { ...optionsFromSettings(DEFAULT_SETTINGS), fewShot: args.fewShot, useNgramCache: args.ngramCache };
    const pipeline = new CompletionPipeline(engine, () => options);
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    const { failed } = await runComplete(lines, pipeline, (record) => process.stdout.write(JSON.stringify(record) + '\n'));
    if (failed > 0) {
      console.error(`${failed} request(s) answered with an error record.`);
    }
    return EXIT_OK;
  } finally {
    await engine.dispose();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const action = parseArgs(argv);
  switch (action.kind) {
    case 'help':
      console.log(USAGE);
      return EXIT_OK;
    case 'version':
      console.log(LOCAL_GPT_VERSION);
      return EXIT_OK;
    case 'complete':
      return complete(action.args);
    case 'error':
      console.error(action.message);
      return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`local-gpt: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILURE;
  },
);
