import { splitIntoChunks } from './textChunks';

/** Text to token ids with the model's own tokenizer (plain text: no special tokens). */
export type Encode = (text: string) => number[];

/**
 * One document of the n-gram cache: its token ids and an index from each token to the positions
 * that follow it, which is all the cache needs to count every n-gram ending at those positions.
 * Counts are never stored: they are read off the index per query, so an edit only has to
 * re-tokenize the chunks it changed and rebuild this document's index, and removing a document
 * removes exactly what it added. Everything but the chunk texts is in flat typed arrays (about
 * 12 bytes a token), not in per-chunk or per-token objects.
 */
export class NgramDocument {
  text = '';
  tokens: Int32Array = EMPTY;
  private chunks: readonly string[] = [];
  /** Token offset where each chunk ends. */
  private chunkEnds: Int32Array = EMPTY;
  /** Positions 1..n-1 grouped by the token before them (a counting sort of the document). */
  private positionsByPrevious: Int32Array = EMPTY;
  /** The distinct tokens that are followed by something, ascending, and where their group starts. */
  private groupTokens: Int32Array = EMPTY;
  private groupStarts: Int32Array = EMPTY;

  /** Replaces the text; returns the characters that had to be tokenized (other chunks are reused). */
  setText(text: string, encode: Encode): number {
    if (text === this.text) {
      return 0;
    }
    const known = new Map<string, Int32Array>();
    this.chunks.forEach((chunk, index) => known.set(chunk, this.tokens.subarray(index === 0 ? 0 : this.chunkEnds[index - 1], this.chunkEnds[index])));
    let encoded = 0;
    const chunks = splitIntoChunks(text);
    const chunkIds = chunks.map((chunk) => {
      const ids = known.get(chunk);
      if (ids !== undefined) {
        return ids;
      }
      encoded += chunk.length;
      return Int32Array.from(encode(chunk));
    });
    this.text = text;
    this.chunks = chunks;
    this.chunkEnds = new Int32Array(chunkIds.length);
    this.tokens = new Int32Array(chunkIds.reduce((sum, ids) => sum + ids.length, 0));
    let offset = 0;
    chunkIds.forEach((ids, index) => {
      this.tokens.set(ids, offset);
      offset += ids.length;
      this.chunkEnds[index] = offset;
    });
    this.index();
    return encoded;
  }

  /** Positions whose previous token is `token`, in document order (empty: none). */
  positionsAfter(token: number): Int32Array {
    let low = 0;
    let high = this.groupTokens.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.groupTokens[middle];
      if (found === token) {
        return this.positionsByPrevious.subarray(this.groupStarts[middle], this.groupStarts[middle + 1]);
      }
      if (found < token) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return EMPTY;
  }

  private index(): void {
    const tokens = this.tokens;
    const lengths = new Map<number, number>();
    for (let position = 1; position < tokens.length; position++) {
      lengths.set(tokens[position - 1], (lengths.get(tokens[position - 1]) ?? 0) + 1);
    }
    this.groupTokens = Int32Array.from(lengths.keys()).sort();
    this.groupStarts = new Int32Array(this.groupTokens.length + 1);
    const next = new Map<number, number>();
    this.groupTokens.forEach((token, group) => {
      next.set(token, this.groupStarts[group]);
      this.groupStarts[group + 1] = this.groupStarts[group] + lengths.get(token)!;
    });
    this.positionsByPrevious = new Int32Array(Math.max(0, tokens.length - 1));
    for (let position = 1; position < tokens.length; position++) {
      const slot = next.get(tokens[position - 1])!;
      this.positionsByPrevious[slot] = position;
      next.set(tokens[position - 1], slot + 1);
    }
  }
}

const EMPTY = new Int32Array(0);
