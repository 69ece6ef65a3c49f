import { parseArgs, USAGE } from './args';

/** Replaced at build time by esbuild's `define` with package.json's version. */
declare const LOCAL_GPT_VERSION: string;

function main(argv: readonly string[]): number {
  const action = parseArgs(argv);
  switch (action.kind) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'version':
      console.log(LOCAL_GPT_VERSION);
      return 0;
    case 'error':
      console.error(action.message);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
