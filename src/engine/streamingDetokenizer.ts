/**
 * Turns a growing token sequence into text deltas. A byte-level BPE token can hold part of a
 * multi-byte UTF-8 character, and some decoders change a token's text depending on its
 * neighbours, so a token's text is not simply appended. The method (as in Hugging Face's text
 * generation server): decode a small window of recent tokens twice, with and without the newest
 * ones, emit the difference, and hold it back while it ends in an incomplete character (U+FFFD).
 */
const REPLACEMENT_CHARACTER = '\uFFFD';
/** Prompt tokens kept as left context, so decoders that strip a leading space see the same text. */
const CONTEXT_TOKENS = 4;

export class StreamingDetokenizer {
  private readonly tokens: number[];
  private prefixOffset: number;
  private readOffset: number;
  private emitted = '';

  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    promptTail: readonly number[] = [],
  ) {
    this.tokens = promptTail.slice(-CONTEXT_TOKENS);
    this.prefixOffset = 0;
    this.readOffset = this.tokens.length;
  }

  /** Adds a token; returns the text it completes (possibly empty while a character is split). */
  push(token: number): string {
    this.tokens.push(token);
    const prefixText = this.decode(this.tokens.slice(this.prefixOffset, this.readOffset));
    const newText = this.decode(this.tokens.slice(this.prefixOffset));
    if (newText.length > prefixText.length && !newText.endsWith(REPLACEMENT_CHARACTER)) {
      const delta = newText.slice(prefixText.length);
      this.prefixOffset = this.readOffset;
      this.readOffset = this.tokens.length;
      this.emitted += delta;
      return delta;
    }
    return '';
  }

  /** Text emitted so far. */
  get text(): string {
    return this.emitted;
  }

  /** Emits whatever is still held back (an incomplete character at the very end, as U+FFFD). */
  flush(): string {
    if (this.readOffset >= this.tokens.length) {
      return '';
    }
    const prefixText = this.decode(this.tokens.slice(this.prefixOffset, this.readOffset));
    const newText = this.decode(this.tokens.slice(this.prefixOffset));
    const delta = newText.length > prefixText.length ? newText.slice(prefixText.length) : '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.tokens.length;
    this.emitted += delta;
    return delta;
  }
}
