import { splitIntoChunks } from './textChunks';

/** Text to token ids with the model's own tokenizer (plain text: no special tokens). */
export type Encode = (text: string) => number[];

/**
 * One document of the n-gram cache: its token ids and an index from each token to the positions
 * that follow it, which is all the cache needs to count every n-gram ending at those positions.
 * Counts are never stored: they are read off the index per query, so an edit only has to
 * re-tokenize the chunks it changed and rebuild this document's index, and removing a document
 * removes exactly what it added.
 */
export class NgramDocument {
  text = '';
  tokens: Int32Array = new Int32Array(0);
  private chunks: readonly string[] = [];
  private chunkIds: readonly (readonly number[])[] = [];
  /** For each token id, the positions right after its occurrences (positions of its followers). */
  private followerPositions = new Map<number, number[]>();

  /** Replaces the text; returns how many chunks had to be tokenized (the others are reused). */
  setText(text: string, encode: Encode): number {
    if (text === this.text) {
      return 0;
    }
    const known = new Map<string, readonly number[]>();
    this.chunks.forEach((chunk, index) => known.set(chunk, this.chunkIds[index]));
    let encoded = 0;
    const chunks = splitIntoChunks(text);
    const chunkIds = chunks.map((chunk) => {
      const ids = known.get(chunk);
      if (ids !== undefined) {
        return ids;
      }
      encoded++;
      return encode(chunk);
    });
    this.text = text;
    this.chunks = chunks;
    this.chunkIds = chunkIds;
    this.tokens = Int32Array.from(chunkIds.flat());
    this.followerPositions = indexFollowers(this.tokens);
    return encoded;
  }

  /** Positions whose previous token is `token`, in document order (undefined: none). */
  positionsAfter(token: number): readonly number[] | undefined {
    return this.followerPositions.get(token);
  }
}

function indexFollowers(tokens: Int32Array): Map<number, number[]> {
  const index = new Map<number, number[]>();
  for (let position = 1; position < tokens.length; position++) {
    const previous = tokens[position - 1];
    const positions = index.get(previous);
    if (positions === undefined) {
      index.set(previous, [position]);
    } else {
      positions.push(position);
    }
  }
  return index;
}
