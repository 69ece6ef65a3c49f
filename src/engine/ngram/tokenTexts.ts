/**
 * The text of each token id, and the longest token that spells the start of a text. The cache
 * compares text, not ids, where the two tokenizations differ: a word being typed ("reconcileQuar")
 * is split into other tokens than the whole word in an open file ("reconcileQuarterly...").
 */
export class TokenTexts {
  private readonly texts = new Map<number, string>();
  private byText: Map<string, number> | undefined;
  private longestText = 0;

  constructor(
    private readonly decodeOne: (id: number) => string,
    /** Special tokens: never spelled by text, never proposed. */
    private readonly specialIds: ReadonlySet<number>,
  ) {}

  text(id: number): string {
    let text = this.texts.get(id);
    if (text === undefined) {
      text = this.specialIds.has(id) ? '' : this.decodeSafely(id);
      this.texts.set(id, text);
    }
    return text;
  }

  /** Models may have more logits than tokenizer entries (padded vocabularies): those spell nothing. */
  private decodeSafely(id: number): string {
    try {
      return this.decodeOne(id);
    } catch {
      return '';
    }
  }

  /** The text of `ids` in order (a token that is part of a multi-byte character reads as U+FFFD). */
  join(ids: readonly number[]): string {
    return ids.map((id) => this.text(id)).join('');
  }

  /**
   * Whether the tokens from `position` spell `expected` and then at least `more` characters:
   * returns those characters after `expected`, or undefined as soon as they differ.
   */
  continuationAfter(tokens: Int32Array, position: number, expected: string, more: number): string | undefined {
    let spelled = '';
    for (let index = position; index < tokens.length && spelled.length < expected.length + more; index++) {
      spelled += this.text(tokens[index]);
      const compared = Math.min(spelled.length, expected.length);
      if (spelled.slice(0, compared) !== expected.slice(0, compared)) {
        return undefined;
      }
    }
    return spelled.length > expected.length ? spelled.slice(expected.length) : undefined;
  }

  /** The id of the longest token whose text starts `text` (vocabulary read once, on first use). */
  longestPrefixToken(text: string, vocabularySize: number): number | undefined {
    const byText = this.vocabulary(vocabularySize);
    for (let length = Math.min(text.length, this.longestText); length > 0; length--) {
      const id = byText.get(text.slice(0, length));
      if (id !== undefined) {
        return id;
      }
    }
    return undefined;
  }

  private vocabulary(size: number): Map<string, number> {
    if (this.byText === undefined) {
      this.byText = new Map();
      for (let id = 0; id < size; id++) {
        const text = this.text(id);
        if (text.length > 0 && !text.includes('\ufffd') && !this.byText.has(text)) {
          this.byText.set(text, id);
          this.longestText = Math.max(this.longestText, text.length);
        }
      }
    }
    return this.byText;
  }
}
