import { CompletionPipeline } from '../core/completion/completionPipeline';
import { optionsFromSettings } from '../core/completion/pipelineOptions';
import { DEFAULT_SETTINGS } from '../core/settings';
import { type CompleteArgs, parseArgs, USAGE } from './args';
import { runComplete } from './completeCommand';
import { readLines } from './lineReader';
import { defaultModelDir, loadEngine } from './loadEngine';

/** Replaced at build time by esbuild's `define` with package.json's version. */
declare const LOCAL_GPT_VERSION: string;

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
/** Wrong arguments, as most command-line tools report them. */
const EXIT_USAGE = 2;

/**
 * Whoever reads stdout went away (`local-gpt complete ... | head -1`): there is no one left to
 * answer, so the CLI ends at once, quietly and successfully, as command-line tools do on SIGPIPE.
 * Other write errors end it with one line instead of a stack trace.
 */
function endWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      console.error(`local-gpt: cannot write to stdout: ${error.message}`);
    }
    process.exit(error.code === 'EPIPE' ? EXIT_OK : EXIT_FAILURE);
  });
}

async function complete(args: CompleteArgs): Promise<number> {
  endWhenStdoutCloses();
  const engine = await loadEngine(args.modelDir ?? defaultModelDir(__dirname), args.threads, __dirname);
  try {
    const options = { ...optionsFromSettings(DEFAULT_SETTINGS), fewShot: args.fewShot, useNgramCache: args.ngramCache };
    const pipeline = new CompletionPipeline(engine, () => options);
    const lines = readLines(process.stdin, args.maxLineBytes);
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
