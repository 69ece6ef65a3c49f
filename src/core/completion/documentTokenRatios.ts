import type { CompletionEngine } from '../engine';

/**
 * Characters per token measured once per document. Windows are sized by a ratio measured on
 * ordinary code, but some documents tokenize far worse (binary text opened as an editor file is
 * about half a character per token): their windows must shrink, or the prompt overflows the
 * model's context. One tokenizer call per newly seen document keeps every keystroke free of it.
 */

/** Binary text can take two tokens per character; lower ratios are measurement noise. */
const MIN_CHARS_PER_TOKEN = 0.25;
/** Too short a sample says little about the document. */
const MIN_SAMPLE_CHARS = 64;
const MAX_DOCUMENTS = 64;

export class DocumentTokenRatios {
  private readonly ratios = new Map<string, number>();

  known(path: string): number | undefined {
    return this.ratios.get(path);
  }

  /** Measures a document's ratio on a sample of it (its windows), remembers and returns it. */
  async measure(engine: CompletionEngine, path: string, sample: string): Promise<number | undefined> {
    if (sample.length < MIN_SAMPLE_CHARS) {
      return undefined;
    }
    const tokens = await engine.countTokens(sample);
    const ratio = Math.max(MIN_CHARS_PER_TOKEN, sample.length / Math.max(1, tokens));
    this.ratios.delete(path);
    this.ratios.set(path, ratio);
    if (this.ratios.size > MAX_DOCUMENTS) {
      this.ratios.delete(this.ratios.keys().next().value as string);
    }
    return ratio;
  }
}
