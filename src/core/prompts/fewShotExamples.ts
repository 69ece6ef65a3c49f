/**
 * Reads a few-shot selection: example lines `input <separator> output` followed by new inputs
 * (lines with no output). The separator is whatever the examples use, so users can write
 * `a → b`, `a -> b`, `a => b`, `a<TAB>b` or `a: b` without configuring anything.
 */

/** Separator groups in order of preference: arrows are rarely part of inputs, colons often are. */
const SEPARATOR_GROUPS: readonly (readonly string[])[] = [['→', '⇒', '->', '=>'], ['\t'], [':']];

export interface FewShotExample {
  readonly input: string;
  readonly output: string;
}

export interface FewShotInput {
  /** Index of the line in the selection. */
  readonly line: number;
  /** The line's leading whitespace, kept when the line is filled in. */
  readonly indent: string;
  readonly input: string;
}

export interface FewShotTask {
  readonly separator: string;
  /** The separator with the whitespace the first example puts around it, e.g. ` → `. */
  readonly joiner: string;
  readonly examples: readonly FewShotExample[];
  readonly inputs: readonly FewShotInput[];
}

export class FewShotSelectionError extends Error {
  override readonly name = 'FewShotSelectionError';
}

/** Parses the selected lines, or throws a FewShotSelectionError saying what to select. */
export function parseFewShotSelection(selection: string): FewShotTask {
  const lines = selection.split(/\r?\n/);
  const separator = detectSeparator(lines);
  if (separator === undefined) {
    throw new FewShotSelectionError(
      'No examples found. Select lines like "fooBar → foo_bar" (any of →, ->, =>, a tab or ":" between input and output), followed by new inputs on their own lines.',
    );
  }
  const examples: FewShotExample[] = [];
  const inputs: FewShotInput[] = [];
  let joiner: string | undefined;
  lines.forEach((line, index) => {
    if (line.trim().length === 0) {
      return;
    }
    const at = line.indexOf(separator);
    const output = at < 0 ? '' : line.slice(at + separator.length).trim();
    if (at >= 0 && output.length > 0) {
      examples.push({ input: line.slice(0, at).trim(), output });
      joiner ??= joinerAround(line, at, separator);
      return;
    }
    const input = (at < 0 ? line : line.slice(0, at)).trim();
    inputs.push({ line: index, indent: /^\s*/.exec(line)![0], input });
  });
  if (inputs.length === 0) {
    throw new FewShotSelectionError(
      `The selection has ${examples.length} example(s) but no new input: add lines without "${visible(separator)}" after the examples for the model to fill in.`,
    );
  }
  return { separator, joiner: joiner ?? ` ${separator} `, examples, inputs };
}

/** The first group with a separator in some line wins; within it, the one in most lines. */
function detectSeparator(lines: readonly string[]): string | undefined {
  for (const group of SEPARATOR_GROUPS) {
    let best: string | undefined;
    let bestCount = 0;
    for (const candidate of group) {
      const count = lines.filter((line) => hasOutputAfter(line, candidate)).length;
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    if (best !== undefined) {
      return best;
    }
  }
  return undefined;
}

function hasOutputAfter(line: string, separator: string): boolean {
  const at = line.indexOf(separator);
  return at > 0 && line.slice(0, at).trim().length > 0 && line.slice(at + separator.length).trim().length > 0;
}

function joinerAround(line: string, at: number, separator: string): string {
  const before = /\s*$/.exec(line.slice(0, at))![0];
  const after = /^\s*/.exec(line.slice(at + separator.length))![0];
  return separator === '\t' ? '\t' : `${before}${separator}${after}`;
}

function visible(separator: string): string {
  return separator === '\t' ? 'a tab' : separator;
}
