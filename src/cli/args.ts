/** Command-line parsing of the `local-gpt` CLI, kept free of I/O so unit tests can call it. */
import { MAX_OPEN_FILES, MAX_RECENT_EDITS } from '../core/completion/sourceLimits';
import { MAX_SOURCE_CHARS } from '../core/completion/sourceFilter';

/** The model folder used when --model is not given, relative to the package root. */
export const DEFAULT_MODEL_DIR = 'models/lgc-small';
/** Request lines longer than this are answered with an error and skipped (issue 17). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface CompleteArgs {
  /** Model folder; undefined means the default model next to the package. */
  readonly modelDir: string | undefined;
  /** WASM threads; 0 picks from the number of cores (more than the cores are capped to them). */
  readonly threads: number;
  /** Longest request line read, in bytes. */
  readonly maxLineBytes: number;
  readonly fewShot: boolean;
  readonly ngramCache: boolean;
}

export type CliAction =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'complete'; args: CompleteArgs }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: local-gpt <command> [options]

Local GPT Completion's command-line tool: runs the extension's completion pipeline and local
model outside VS Code.

Commands:
  complete          read JSON-line requests on stdin, write JSON-line completions on stdout:
                      in:  {"id", "path", "languageId", "prefix", "suffix",
                            "openFiles": [{"path", "text"}],
                            "recentEdits": [{"path", "text"}], "mode": "line" | "auto"}
                      out: {"id", "completion", "latencyMs", "promptTokens", "generatedTokens"}
                    a line that cannot be served gets {"id", "error"} and the next one is read.
                    openFiles are capped as in the extension: the first ${MAX_OPEN_FILES} that are not
                    the current file, secret-looking, binary, minified or over ${MAX_SOURCE_CHARS}
                    characters; of recentEdits the first ${MAX_RECENT_EDITS} not refused so.

Options of complete:
  --model DIR       model folder (default: ${DEFAULT_MODEL_DIR} in the package)
  --threads N       inference threads (default: one per core but one, at most 4;
                    never more than the cores)
  --max-line-bytes N
                    longest request line (default ${DEFAULT_MAX_LINE_BYTES}, 16 MB); a longer
                    one gets {"id": null, "error"} naming the limit, and the next is read
  --no-few-shot     no snippets from openFiles in the prompt
  --no-ngram-cache  do not blend the n-gram cache of open files into decoding

Options:
  -h, --help        show this help
  -v, --version     print the version`;

const HELP_FLAGS = new Set(['-h', '--help']);
const VERSION_FLAGS = new Set(['-v', '--version']);

export function parseArgs(argv: readonly string[]): CliAction {
  if (argv.length === 0 || argv.some((arg) => HELP_FLAGS.has(arg))) {
    return { kind: 'help' };
  }
  if (argv.length === 1 && VERSION_FLAGS.has(argv[0])) {
    return { kind: 'version' };
  }
  if (argv[0] === 'complete') {
    return parseComplete(argv.slice(1));
  }
  return unknown(argv);
}

function parseComplete(argv: readonly string[]): CliAction {
  let modelDir: string | undefined;
  let threads = 0;
  let maxLineBytes = DEFAULT_MAX_LINE_BYTES;
  let fewShot = true;
  let ngramCache = true;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--model' || arg === '--threads' || arg === '--max-line-bytes') {
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) {
        return { kind: 'error', message: `${arg} needs a value.\nRun local-gpt --help for usage.` };
      }
      if (arg === '--model') {
        modelDir = value;
      } else if (!/^\d+$/.test(value) || (arg === '--max-line-bytes' && Number(value) < 1)) {
        return { kind: 'error', message: `${arg} takes a whole number${arg === '--threads' ? '' : ' above 0'}, not "${value}".` };
      } else if (arg === '--threads') {
        threads = Number(value);
      } else {
        maxLineBytes = Number(value);
      }
    } else if (arg === '--no-few-shot') {
      fewShot = false;
    } else if (arg === '--no-ngram-cache') {
      ngramCache = false;
    } else {
      return unknown([arg]);
    }
  }
  return { kind: 'complete', args: { modelDir, threads, maxLineBytes, fewShot, ngramCache } };
}

function unknown(argv: readonly string[]): CliAction {
  return { kind: 'error', message: `Unknown arguments: ${argv.join(' ')}\nRun local-gpt --help for usage.` };
}
