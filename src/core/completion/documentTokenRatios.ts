import type { CompletionEngine } from '../engine';
import { setMostRecent } from './recentMap';

/**
 * Characters per token measured per document, on the part of it the prompt holds. Windows are
 * sized by a ratio measured on ordinary code, but some documents tokenize far worse (binary text
 * opened as an editor file is about half a character per token), and one document can vary: a
 * file of code with a table of strings further down. A measurement holds while the windows stay
 * mostly within the range it was taken on; the cursor moving elsewhere (which also costs a new
 * prefill) measures again. So typing on a line never calls the tokenizer for this.
 */

/** Binary text can take two tokens per character; lower ratios are measurement noise. */
const MIN_CHARS_PER_TOKEN = 0.25;
/** Too short a sample says little about the document. */
const MIN_SAMPLE_CHARS = 64;
const MAX_DOCUMENTS = 64;
/** A measurement holds for windows overlapping the range it was taken on by at least this share. */
const MIN_COVERED_SHARE = 0.5;

/** A range of document offsets, end excluded. */
export interface DocumentRange {
  readonly start: number;
  readonly end: number;
}

interface Measurement extends DocumentRange {
  readonly ratio: number;
}

export class DocumentTokenRatios {
  private readonly measurements = new Map<string, Measurement>();

  /** The ratio measured on this document around `range`, if one was. */
  known(path: string, range: DocumentRange): number | undefined {
    const measurement = this.measurements.get(path);
    if (measurement === undefined) {
      return undefined;
    }
    // Relative to the shorter range: windows planned at the usual ratio are longer than those
    // planned at a low measured one, and the same place must not be measured on every keystroke.
    const covered = Math.min(range.end, measurement.end) - Math.max(range.start, measurement.start);
    const shorter = Math.min(range.end - range.start, measurement.end - measurement.start);
    return covered >= MIN_COVERED_SHARE * shorter ? measurement.ratio : undefined;
  }

  /** Measures a document's ratio on `sample`, the text of `range`; remembers and returns it. */
  async measure(engine: CompletionEngine, path: string, sample: string, range: DocumentRange): Promise<number | undefined> {
    if (sample.length < MIN_SAMPLE_CHARS) {
      return undefined;
    }
    const tokens = await engine.countTokens(sample);
    const ratio = Math.max(MIN_CHARS_PER_TOKEN, sample.length / Math.max(1, tokens));
    setMostRecent(this.measurements, path, { ...range, ratio }, MAX_DOCUMENTS);
    return ratio;
  }
}
