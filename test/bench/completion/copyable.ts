/**
 * Requests where the open files can teach something: the real rest of the line holds a name that
 * a sibling file has and the current file (before and after the cursor) does not. Only there can
 * few-shot snippets make a completion exact that was not, so the paired few-shot comparison is
 * also reported on these alone. The subset is fixed by the texts, never by a configuration's
 * output, so both sides of a pair are the same requests.
 */
import type { SourceText } from '../../../src/core/completion/types';

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** Shorter names (i, id, fs) are everywhere; they say nothing about copying. */
const MIN_NAME_CHARS = 4;
/** Keywords of the benchmark's languages (JavaScript, TypeScript): the model knows them already. */
const KEYWORDS = new Set(
  ('await break case catch class const continue debugger default delete else enum export extends false finally ' +
    'function implements import instanceof interface keyof null private protected public readonly return static ' +
    'super switch this throw true typeof undefined void while with yield async type declare namespace module ' +
    'require exports string number boolean object unknown never any').split(' '),
);

export function namesIn(text: string): Set<string> {
  return new Set((text.match(IDENTIFIER) ?? []).filter((name) => name.length >= MIN_NAME_CHARS && !KEYWORDS.has(name)));
}

/** Names of `expected` found in some open file and nowhere in `currentFile`, in order of appearance. */
export function namesOnlyInOpenFiles(expected: string, currentFile: string, openFiles: readonly SourceText[]): string[] {
  const inCurrentFile = namesIn(currentFile);
  const candidates = [...namesIn(expected)].filter((name) => !inCurrentFile.has(name));
  if (candidates.length === 0) {
    return [];
  }
  const inOpenFiles = namesInOpenFiles(openFiles);
  return candidates.filter((name) => inOpenFiles.has(name));
}

/** Shorter rests of lines (`});`, `return;`) are in every file: finding them says nothing about copying. */
export const MIN_VERBATIM_CHARS = 10;

/**
 * Whether the real rest of the line, as it is, is in some open file and nowhere in the current
 * one: a model that copies from its few-shot snippets could get it exactly right, one that does
 * not has to guess it. Fixed by the texts alone, as namesOnlyInOpenFiles.
 */
export function verbatimInOpenFiles(expected: string, currentFile: string, openFiles: readonly SourceText[]): boolean {
  return expected.length >= MIN_VERBATIM_CHARS && !currentFile.includes(expected) && openFiles.some((file) => file.text.includes(expected));
}

/** A target's open files are the same array for every request of every configuration: read them once. */
const openFileNames = new WeakMap<readonly SourceText[], Set<string>>();

export function namesInOpenFiles(openFiles: readonly SourceText[]): Set<string> {
  let names = openFileNames.get(openFiles);
  if (names === undefined) {
    names = new Set(openFiles.flatMap((file) => [...namesIn(file.text)]));
    openFileNames.set(openFiles, names);
  }
  return names;
}

/** The request marks above, by their field in a sample and in a `--dump` line. */
export type SubsetField = 'copyable' | 'verbatim';

/**
 * The subsets of requests where the open files can teach something, each compared few-shot off
 * -> on on its own by bench:completion and pooled by bench:combine, under the same label.
 */
export const REQUEST_SUBSETS: readonly { readonly field: SubsetField; readonly label: string }[] = [
  { field: 'copyable', label: 'a name only the open files have' },
  { field: 'verbatim', label: 'rest of line verbatim in an open file' },
];
