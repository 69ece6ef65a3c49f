import { DocumentChangeTracker, type CacheDocument, type NgramDocumentChanges } from './documentChanges';
import { type Encode, NgramDocument } from './ngramDocument';
import { withoutBidiControls } from '../../core/completion/unsafeText';

/**
 * The n-gram cache of the user's open files ("On the localness of software", Tu et al. 2014):
 * token n-grams of the documents the completion core lists, tokenized with the model's own
 * tokenizer, counted up to `order` tokens (a context of order - 1 tokens and the next one).
 * Counts for a context are read off per-document indexes when asked, so adding, replacing and
 * removing a document are exact and cheap, and memory is the documents' ids and indexes,
 * bounded by the character budget of `DocumentChangeTracker`.
 */

export interface NgramCacheOptions {
  /** Longest n-gram counted (context plus predicted token). */
  readonly order?: number;
  /** Occurrences of the context's last token examined per query: bounds the work per decode step. */
  readonly maxOccurrences?: number;
  readonly maxChars?: number;
  /** Characters tokenized per update at most; the rest waits for the next updates. */
  readonly maxEncodeCharsPerUpdate?: number;
}

export const DEFAULT_NGRAM_ORDER = 6;
const DEFAULT_MAX_OCCURRENCES = 20_000;
/**
 * Tokenizing runs in the worker before the generation that follows the update: opening a
 * workspace with a megabyte of open files must not hold the first completion for a second or
 * more. About 0.1 s of tokenizing per update; a keystroke's edit costs a line.
 */
const DEFAULT_MAX_ENCODE_CHARS_PER_UPDATE = 64_000;

/** How often a context was followed by each token: c(h, w), and c(h) = the sum over w. */
export interface ContextCounts {
  readonly total: number;
  readonly followers: ReadonlyMap<number, number>;
}

export class NgramCache {
  readonly order: number;
  private readonly maxOccurrences: number;
  private readonly maxEncodeCharsPerUpdate: number;
  private readonly documents = new Map<string, NgramDocument>();
  /** Texts not tokenized yet (over an update's budget); a document keeps its old text until then. */
  private pending = new Map<string, string>();
  private readonly tracker: DocumentChangeTracker;
  /** Unigram counts by token id, grown to the largest id seen. */
  private unigrams = new Int32Array(0);
  private tokens = 0;
  /** Characters tokenized since the cache was created (tests check that edits are incremental). */
  encodedChars = 0;

  constructor(
    private readonly encode: Encode,
    options: NgramCacheOptions = {},
  ) {
    this.order = options.order ?? DEFAULT_NGRAM_ORDER;
    this.maxOccurrences = options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES;
    this.maxEncodeCharsPerUpdate = options.maxEncodeCharsPerUpdate ?? DEFAULT_MAX_ENCODE_CHARS_PER_UPDATE;
    this.tracker = new DocumentChangeTracker(options.maxChars);
  }

  /** Makes the cache hold exactly these documents (most important first; see keyedDocuments). */
  update(documents: readonly CacheDocument[]): void {
    this.apply(this.tracker.changes(documents));
  }

  /**
   * Applies changes computed elsewhere (the worker client's tracker, on the host). This update's
   * documents are tokenized first, in their order (the current file leads), then those waiting
   * from earlier updates, until the budget is spent.
   */
  apply(changes: NgramDocumentChanges): void {
    for (const key of changes.remove) {
      this.removeDocument(key);
    }
    for (const { key } of changes.set) {
      this.pending.delete(key);
    }
    const queue: [string, string][] = [...changes.set.map(({ key, text }): [string, string] => [key, text]), ...this.pending];
    this.pending = new Map();
    let budget = this.maxEncodeCharsPerUpdate;
    for (const [key, text] of queue) {
      if (budget > 0) {
        budget -= this.setDocument(key, text);
      } else {
        this.pending.set(key, text);
      }
    }
  }

  /**
   * Tokenizes (the changed chunks of) a document now, without its bidirectional controls (the
   * cache must not propose them); returns the characters tokenized.
   */
  setDocument(key: string, text: string): number {
    text = withoutBidiControls(text);
    let document = this.documents.get(key);
    if (document === undefined) {
      document = new NgramDocument();
      this.documents.set(key, document);
    }
    this.countUnigrams(document.tokens, -1);
    let encoded = 0;
    try {
      encoded = document.setText(text, this.encode);
    } catch {
      // A text the tokenizer refuses teaches nothing; the cache goes on without it.
      this.documents.delete(key);
      return 0;
    }
    this.countUnigrams(document.tokens, +1);
    this.encodedChars += encoded;
    return encoded;
  }

  /** Documents waiting to be tokenized by the next updates. */
  get pendingCount(): number {
    return this.pending.size;
  }

  removeDocument(key: string): void {
    this.pending.delete(key);
    const document = this.documents.get(key);
    if (document !== undefined) {
      this.countUnigrams(document.tokens, -1);
      this.documents.delete(key);
    }
  }

  clear(): void {
    for (const key of [...this.documents.keys()]) {
      this.removeDocument(key);
    }
    this.pending.clear();
    this.tracker.reset();
  }

  get documentCount(): number {
    return this.documents.size;
  }

  /** Tokens in all documents: the unigram total. */
  get tokenCount(): number {
    return this.tokens;
  }

  unigramCount(token: number): number {
    return token >= 0 && token < this.unigrams.length ? this.unigrams[token] : 0;
  }

  /** Writes scale * count(token) for every token id below into.length (one pass, no lookups). */
  writeUnigrams(into: Float64Array, scale: number): void {
    const known = Math.min(into.length, this.unigrams.length);
    for (let token = 0; token < known; token++) into[token] = scale * this.unigrams[token];
    into.fill(0, known);
  }

  /**
   * Counts of the contexts ending `context`: element k - 1 for its last k tokens, k from 1 up to
   * order - 1, stopping before the first length never seen in the documents.
   */
  contextCounts(context: readonly number[]): ContextCounts[] {
    const counter = new ContextCounter(Math.min(this.order - 1, context.length));
    this.forEachOccurrence(context, (tokens, position, matched) => counter.add(tokens[position], matched));
    return counter.counts();
  }

  /**
   * Visits every position that follows the context's last token (up to the occurrence bound),
   * with how many of the context's last tokens (at most order - 1) precede it there.
   */
  forEachOccurrence(context: readonly number[], visit: (tokens: Int32Array, position: number, matched: number) => void): void {
    const longest = Math.min(this.order - 1, context.length);
    if (longest === 0) {
      return;
    }
    const end = context.length - 1;
    let examined = 0;
    for (const document of this.documents.values()) {
      const tokens = document.tokens;
      for (const position of document.positionsAfter(context[end])) {
        if (examined++ >= this.maxOccurrences) {
          return;
        }
        let matched = 1;
        while (matched < longest && position - 1 - matched >= 0 && tokens[position - 1 - matched] === context[end - matched]) {
          matched++;
        }
        visit(tokens, position, matched);
      }
    }
  }

  private countUnigrams(tokens: Int32Array, sign: 1 | -1): void {
    let largest = -1;
    for (const token of tokens) {
      if (token > largest) largest = token;
    }
    if (largest >= this.unigrams.length) {
      const grown = new Int32Array(Math.max(largest + 1, 2 * this.unigrams.length));
      grown.set(this.unigrams);
      this.unigrams = grown;
    }
    for (const token of tokens) {
      this.unigrams[token] += sign;
    }
    this.tokens += sign * tokens.length;
  }
}

/** Adds up followers for every context length 1..longest that an occurrence matched. */
export class ContextCounter {
  private readonly followers: Map<number, number>[];
  private readonly totals: number[];

  constructor(private readonly longest: number) {
    this.followers = Array.from({ length: longest }, () => new Map<number, number>());
    this.totals = new Array<number>(longest).fill(0);
  }

  add(follower: number, matched: number): void {
    for (let length = 1; length <= matched; length++) {
      this.followers[length - 1].set(follower, (this.followers[length - 1].get(follower) ?? 0) + 1);
      this.totals[length - 1]++;
    }
  }

  /** Element k - 1 for contexts of length k, stopping before the first length never seen. */
  counts(): ContextCounts[] {
    const counts: ContextCounts[] = [];
    for (let length = 1; length <= this.longest && this.totals[length - 1] > 0; length++) {
      counts.push({ total: this.totals[length - 1], followers: this.followers[length - 1] });
    }
    return counts;
  }
}
