import * as fs from 'node:fs';
import type { SourceText } from '../../../src/core/completion/types';
import { namesIn, namesInOpenFiles } from './copyable';
import { importedFiles } from './imports';
import { seededRandom } from '../../support/seededRandom';

/**
 * The held-out files the benchmark types into: target files of the packages of the corpus's
 * validation split (packages the model never saw; one file per package unless asked for more),
 * with sibling files of the same package as the other open files, and cursor positions chosen by
 * a seeded generator so runs compare.
 */

export interface HeldOutFile {
  readonly source: string;
  readonly path: string;
  readonly lang: string;
  readonly text: string;
}

export interface TypingPosition {
  /** Offset of the line's first character. */
  readonly lineStart: number;
  /** The line's text without its newline. */
  readonly line: string;
  /** Characters of the line already typed when the first keystroke request is made. */
  readonly typedAtStart: number;
}

export interface BenchTarget {
  readonly file: HeldOutFile;
  readonly languageId: string;
  readonly siblings: readonly SourceText[];
  readonly positions: readonly TypingPosition[];
}

export interface CorpusSelection {
  readonly files: number;
  readonly positionsPerFile: number;
  readonly siblingsPerFile: number;
  /** Target files drawn from one package at most; 1 draws exactly the targets it always did. */
  readonly targetsPerSource?: number;
  /**
   * Which lines are typed: any code line, or only lines holding a name that an open sibling file
   * has and the rest of the file does not (see copyable.ts), where few-shot snippets can help.
   */
  readonly lines?: 'any' | 'copyable';
  /**
   * Which sibling files are open: the target's folder first (then the package, by path), or the
   * files it imports first, as someone who has the modules they use open beside the file.
   */
  readonly open?: 'folder' | 'imports';
  readonly seed: number;
}

const CODE_LANGUAGES = new Set(['typescript', 'javascript']);
/** Target files this small or large make poor typing replays (too little context, or generated code). */
const MIN_TARGET_CHARS = 1500;
const MAX_TARGET_CHARS = 40_000;
const MAX_SIBLING_CHARS = 60_000;
/** Build outputs and declaration files are generated, not typed by people: never targets. */
const GENERATED_PATH = /(^|\/)(dist|build|out|lib-esm|esm|cjs|umd|bundle)\/|\.d\.[cm]?ts$|\.min\.js$/;
/** Lines shorter than this (after indentation) are mostly closers and blank space. */
const MIN_LINE_CHARS = 12;
/** Cursor positions never come before this line, so there is some prefix to complete from. */
const MIN_LINE_INDEX = 5;

export function readHeldOut(file: string): HeldOutFile[] {
  if (!fs.existsSync(file)) {
    throw new Error(
      `The held-out split ${file} is missing. It is built by the model pipeline ` +
        '(bash models/train/pipeline.sh corpus); the benchmark needs files the model never saw.',
    );
  }
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as HeldOutFile);
}

export function selectTargets(files: readonly HeldOutFile[], selection: CorpusSelection): BenchTarget[] {
  const random = seededRandom(selection.seed);
  const bySource = new Map<string, HeldOutFile[]>();
  for (const file of files.filter((candidate) => CODE_LANGUAGES.has(candidate.lang))) {
    bySource.set(file.source, [...(bySource.get(file.source) ?? []), file]);
  }
  const sources = [...bySource.keys()].filter((source) => (bySource.get(source) ?? []).length >= 2).sort();
  const targets: BenchTarget[] = [];
  for (const source of shuffled(sources, random)) {
    const members = bySource.get(source) ?? [];
    const candidates = members.filter(
      (file) => file.text.length >= MIN_TARGET_CHARS && file.text.length <= MAX_TARGET_CHARS && !GENERATED_PATH.test(file.path),
    );
    if (candidates.length === 0) {
      continue;
    }
    // Drawn one at a time, each with its positions, so that one per package keeps the old sequence.
    for (let drawn = 0; drawn < (selection.targetsPerSource ?? 1) && candidates.length > 0; drawn++) {
      const file = candidates.splice(Math.floor(random() * candidates.length), 1)[0];
      const siblings = siblingsOf(file, members, selection.siblingsPerFile, selection.open ?? 'folder');
      const wanted = selection.lines === 'copyable' ? copyableLine(file.text.split('\n'), siblings) : () => true;
      const positions = typingPositions(file.text, selection.positionsPerFile, random, wanted);
      if (positions.length === 0) {
        continue;
      }
      targets.push({ file, languageId: file.lang, siblings, positions });
      if (targets.length === selection.files) {
        return targets;
      }
    }
  }
  return targets;
}

/** Other files of the package: those it imports first when asked, then those in its folder. */
function siblingsOf(file: HeldOutFile, members: readonly HeldOutFile[], count: number, open: 'folder' | 'imports'): SourceText[] {
  const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
  const openable = members.filter((other) => other !== file && other.text.length <= MAX_SIBLING_CHARS);
  const imported = open === 'imports' ? importedFiles(file.path, file.text, new Set(openable.map((other) => other.path))) : [];
  const rank = (other: HeldOutFile) => (imported.includes(other.path) ? imported.indexOf(other.path) : imported.length);
  return openable
    .sort(
      (a, b) =>
        rank(a) - rank(b) || Number(!a.path.startsWith(folder)) - Number(!b.path.startsWith(folder)) || a.path.localeCompare(b.path),
    )
    .slice(0, count)
    .map((other) => ({ path: other.path, text: other.text }));
}

/**
 * Whether a line (by index) holds a name only the open siblings have, the rest of the file aside:
 * what namesOnlyInOpenFiles asks of a request, for every line at once (names counted by line).
 */
function copyableLine(lines: readonly string[], siblings: readonly SourceText[]): (index: number) => boolean {
  const inSiblings = namesInOpenFiles(siblings);
  const namesByLine = lines.map((line) => namesIn(line));
  const linesWith = new Map<string, number>();
  for (const names of namesByLine) {
    for (const name of names) linesWith.set(name, (linesWith.get(name) ?? 0) + 1);
  }
  return (index) => [...namesByLine[index]].some((name) => linesWith.get(name) === 1 && inSiblings.has(name));
}

/** Code lines (those `wanted`) in file order; half start at the line's indentation, half somewhere in its first half. */
function typingPositions(
  text: string,
  count: number,
  random: () => number,
  wanted: (index: number) => boolean,
): TypingPosition[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const eligible = lines
    .map((_line, index) => index)
    .filter((index) => index >= MIN_LINE_INDEX && lines[index].trim().length >= MIN_LINE_CHARS && wanted(index));
  return shuffled(eligible, random)
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((index, order) => {
      const line = lines[index];
      const indent = line.length - line.trimStart().length;
      const content = line.length - indent;
      const typedAtStart = order % 2 === 0 ? indent : indent + Math.floor(random() * (content / 2));
      return { lineStart: starts[index], line, typedAtStart };
    });
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

