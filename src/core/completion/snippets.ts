import { identifiersOf, type IndexedWindow, jaccard, SnippetIndex, WINDOW_LINES } from './snippetIndex';
import { setMostRecent } from './recentMap';
import { refusalReason } from './sourceFilter';
import type { TimeSlicer } from './timeSlicer';
import type { Snippet, SourceText } from './types';

/**
 * Few-shot snippets: the windows of other open files and recent edits most similar (Jaccard over
 * identifier sets) to the lines before the cursor, best first within a character budget, then put
 * in a stable order (path, line) so that the prompt's beginning does not churn.
 *
 * The query is the complete lines before the cursor's line, not the line being typed, so the
 * choice (and the prompt's beginning, and with it the KV cache) holds for a whole line of typing,
 * and across lines while the previous choice is nearly as good (KEEP_SELECTION_SHARE).
 */

export const MAX_SNIPPETS = 4;
/** Windows sharing fewer identifiers than this with the query teach the model nothing. */
export const MIN_SNIPPET_SCORE = 0.1;
/**
 * The previous selection stays while it scores at least this share of a new one: a new line of
 * code changes the query, and every change of snippets makes the engine prefill the whole prompt
 * again (about a second), which a slightly better example is not worth.
 */
export const KEEP_SELECTION_SHARE = 0.8;
/** A window cut to fit the remaining budget must keep at least this much to be worth a label. */
const MIN_SNIPPET_CHARS = 120;
/** The query never looks further back than this, however long the lines. */
const MAX_QUERY_CHARS = 2000;
/** Candidates kept, best first: far more than MAX_SNIPPETS can use after skipping overlaps. */
const MAX_CANDIDATES = 64;
/** Sources whose scores are kept between requests (open files and recent edits together). */
const MAX_SCORED_SOURCES = 64;

/** Where snippets come from: other open files, and recently edited text of any file. */
export interface SnippetSources {
  readonly openFiles: readonly SourceText[];
  readonly recentEdits: readonly SourceText[];
}

export interface SnippetQuery {
  readonly text: string;
  /** The current file: it is not an open-file source (its windows are in the prompt already). */
  readonly currentPath: string;
  /** The prefix and suffix windows; snippets repeating them are skipped. */
  readonly contextText: string;
}

/**
 * The complete lines before the cursor's line that snippets are compared with; on a file's first
 * line, which has none, the line itself.
 */
export function snippetQueryText(prefix: string): string {
  const lineStart = prefix.lastIndexOf('\n') + 1;
  if (lineStart === 0) {
    return prefix.slice(-MAX_QUERY_CHARS);
  }
  let start = lineStart;
  for (let line = 0; line < WINDOW_LINES && start > 0; line++) {
    start = prefix.lastIndexOf('\n', start - 2) + 1;
  }
  return prefix.slice(Math.max(start, lineStart - MAX_QUERY_CHARS), lineStart);
}

interface Candidate {
  /** Which source the window is from, for overlap and order: `file` or `edit` and an index. */
  readonly source: string;
  readonly path: string;
  readonly startLine: number;
  readonly text: string;
  readonly score: number;
}

export class SnippetSelector {
  private readonly index = new SnippetIndex();
  private last: { place: string; query: string; sources: readonly SourceText[]; snippets: Snippet[] } | undefined;
  private prepared: { currentPath: string; query: string; sources: readonly SourceText[]; candidates: Candidate[] } | undefined;
  /** Each source's best windows for the last query it was scored against: an unchanged file is not scored again. */
  private readonly scored = new Map<string, { readonly text: string; readonly query: string; readonly best: readonly Candidate[] }>();

  /**
   * Indexes and scores the sources for a query ahead of select(), in time slices, so that the
   * host never runs the whole scan at once (20 open files of 300 KB took 0.4 s the first time).
   */
  async prepare(query: Pick<SnippetQuery, 'text' | 'currentPath'>, sources: SnippetSources, slicer: TimeSlicer): Promise<void> {
    const all = [...sources.openFiles, ...sources.recentEdits];
    const wanted = identifiersOf(query.text);
    const top = new TopCandidates();
    for (const { id, source } of labelledSources(query.currentPath, sources)) {
      const known = this.scored.get(id);
      if (known?.text === source.text && known.query === query.text) {
        known.best.forEach((candidate) => top.offer(candidate));
        continue;
      }
      await slicer.checkpoint();
      const own = new TopCandidates();
      scoreWindows(wanted, id, source, await this.index.windowsOfSliced(source, id, slicer), own);
      setMostRecent(this.scored, id, { text: source.text, query: query.text, best: own.best }, MAX_SCORED_SOURCES);
      own.best.forEach((candidate) => top.offer(candidate));
    }
    this.prepared = { currentPath: query.currentPath, query: query.text, sources: all, candidates: top.best };
  }

  select(query: SnippetQuery, sources: SnippetSources, budgetChars: number): Snippet[] {
    const place = `${query.currentPath}\u0000${budgetChars}`;
    const all = [...sources.openFiles, ...sources.recentEdits];
    const previous = this.last?.place === place ? this.last : undefined;
    if (previous && previous.query === query.text && sameSources(previous.sources, all)) {
      return previous.snippets;
    }
    const candidates = this.candidates(query, sources, budgetChars);
    const fresh = pickWithinBudget(candidates, query.contextText, budgetChars);
    const snippets = previous && stillGoodEnough(previous.snippets, fresh, candidates) ? previous.snippets : fresh;
    this.last = { place, query: query.text, sources: all, snippets };
    return snippets;
  }

  /** The best windows scoring at least MIN_SNIPPET_SCORE, best first: prepared, or scanned now. */
  private candidates(query: SnippetQuery, sources: SnippetSources, budgetChars: number): Candidate[] {
    const wanted = identifiersOf(query.text);
    if (wanted.size === 0 || budgetChars <= 0) {
      return [];
    }
    const prepared = this.prepared;
    if (prepared?.currentPath === query.currentPath && prepared.query === query.text && sameSources(prepared.sources, [...sources.openFiles, ...sources.recentEdits])) {
      return prepared.candidates;
    }
    const top = new TopCandidates();
    for (const { id, source } of labelledSources(query.currentPath, sources)) {
      scoreWindows(wanted, id, source, this.index.windowsOf(source, id), top);
    }
    return top.best;
  }
}

/** The sources with the ids their windows are cached under; open files by path, so their order does not matter. */
function labelledSources(currentPath: string, sources: SnippetSources): { id: string; source: SourceText }[] {
  const labelled = [
    ...sources.openFiles.filter((source) => source.path !== currentPath).map((source) => ({ id: `file\u0000${source.path}`, source })),
    ...sources.recentEdits.map((source, index) => ({ id: `edit\u0000${index}\u0000${source.path}`, source })),
  ];
  return labelled.filter((entry) => refusalReason(entry.source) === undefined);
}

function scoreWindows(wanted: ReadonlySet<string>, id: string, source: SourceText, windows: readonly IndexedWindow[], top: TopCandidates): void {
  if (wanted.size === 0) {
    return;
  }
  for (const window of windows) {
    const score = jaccard(wanted, window.identifiers);
    if (score >= MIN_SNIPPET_SCORE) {
      top.offer({ source: id, path: source.path, startLine: window.startLine, text: window.text, score });
    }
  }
}

/** The MAX_CANDIDATES best candidates offered, in order: a bounded insertion instead of sorting every window. */
class TopCandidates {
  readonly best: Candidate[] = [];

  offer(candidate: Candidate): void {
    const best = this.best;
    if (best.length === MAX_CANDIDATES && compareCandidates(candidate, best[best.length - 1]) >= 0) {
      return;
    }
    let at = best.length;
    while (at > 0 && compareCandidates(candidate, best[at - 1]) < 0) {
      at--;
    }
    best.splice(at, 0, candidate);
    if (best.length > MAX_CANDIDATES) {
      best.pop();
    }
  }
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return b.score - a.score || compareText(a.path, b.path) || a.startLine - b.startLine;
}

/** Whether the previous snippets, scored against the new query, are nearly as good as the fresh ones. */
function stillGoodEnough(previous: readonly Snippet[], fresh: readonly Snippet[], candidates: readonly Candidate[]): boolean {
  if (previous.length === 0) {
    return false;
  }
  let previousScore = 0;
  for (const snippet of previous) {
    // The same window with the same text (a recent edit's windows change as it grows).
    const now = candidates.find(
      (candidate) => candidate.path === snippet.path && candidate.startLine === snippet.startLine && candidate.text.startsWith(snippet.text),
    );
    if (now === undefined) {
      return false;
    }
    previousScore += now.score;
  }
  const freshScore = fresh.reduce((sum, snippet) => sum + snippet.score, 0);
  return previousScore >= KEEP_SELECTION_SHARE * freshScore;
}

function pickWithinBudget(candidates: readonly Candidate[], contextText: string, budgetChars: number): Snippet[] {
  const picked: Candidate[] = [];
  let remaining = budgetChars;
  for (const candidate of candidates) {
    if (picked.length >= MAX_SNIPPETS) {
      break;
    }
    if (picked.some((other) => overlaps(other, candidate)) || contextText.includes(candidate.text)) {
      continue;
    }
    const text = wholeLinesWithin(candidate.text, remaining - candidate.path.length);
    if (text.length === 0 || (text !== candidate.text && text.length < MIN_SNIPPET_CHARS)) {
      continue;
    }
    picked.push({ ...candidate, text });
    remaining -= candidate.path.length + text.length;
  }
  picked.sort((a, b) => compareText(a.path, b.path) || compareText(a.source, b.source) || a.startLine - b.startLine);
  return picked.map(({ path, startLine, text, score }) => ({ path, startLine, text, score }));
}

/** The text, or its first lines that fit in `maxChars`. */
function wholeLinesWithin(text: string, maxChars: number): string {
  if (text.length <= maxChars) {
    return text;
  }
  const lineEnd = text.lastIndexOf('\n', maxChars);
  return lineEnd > 0 ? text.slice(0, lineEnd) : '';
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.source === b.source && Math.abs(a.startLine - b.startLine) < WINDOW_LINES;
}

function sameSources(a: readonly SourceText[], b: readonly SourceText[]): boolean {
  return a.length === b.length && a.every((source, index) => source.path === b[index].path && source.text === b[index].text);
}
