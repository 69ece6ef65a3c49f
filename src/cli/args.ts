/** Command-line parsing of the `local-gpt` CLI, kept free of I/O so unit tests can call it. */

export type CliAction = { kind: 'help' } | { kind: 'version' } | { kind: 'error'; message: string };

export const USAGE = `Usage: local-gpt [options]

Local GPT Completion's command-line tool: runs the extension's local model outside VS Code.
Generation commands arrive with the inference engine.

Options:
  -h, --help     show this help
  -v, --version  print the version`;

export function parseArgs(argv: readonly string[]): CliAction {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) {
    return { kind: 'help' };
  }
  if (argv.length === 1 && (argv[0] === '-v' || argv[0] === '--version')) {
    return { kind: 'version' };
  }
  return { kind: 'error', message: `Unknown arguments: ${argv.join(' ')}\nRun local-gpt --help for usage.` };
}
