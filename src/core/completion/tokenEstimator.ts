import type { CompletionEngine } from '../engine';

/**
 * Converts token budgets to character counts without tokenizing on every keystroke. It starts
 * from the default model's measured ratio and is recalibrated once against the engine's real
 * tokenizer on the first code it sees.
 */

/** Characters per token of the default BPE on code (models/train/tokenizer/bytes_per_token.json). */
export const DEFAULT_CHARS_PER_TOKEN = 3.6;
/** Estimates undershoot the real count by this share, so budgets are rarely exceeded. */
const SAFETY_FACTOR = 0.9;
/** Ratios outside these bounds mean an odd sample (binary, one long word): ignore them. */
const MIN_CHARS_PER_TOKEN = 1.5;
const MAX_CHARS_PER_TOKEN = 8;
/** Shortest sample that gives a meaningful ratio. */
const MIN_CALIBRATION_CHARS = 256;
/** Longest sample sent to the tokenizer for calibration. */
const MAX_CALIBRATION_CHARS = 8192;

export class TokenEstimator {
  private charsPerToken: number;
  private calibrated = false;

  constructor(charsPerToken = DEFAULT_CHARS_PER_TOKEN) {
    this.charsPerToken = charsPerToken;
  }

  /** Characters that fit in `tokens` tokens, on the safe side. */
  charsFor(tokens: number): number {
    return Math.max(0, Math.floor(tokens * this.charsPerToken * SAFETY_FACTOR));
  }

  /** Estimated token count of a text, on the high side. */
  tokensIn(text: string): number {
    return Math.ceil(text.length / (this.charsPerToken * SAFETY_FACTOR));
  }

  get ratio(): number {
    return this.charsPerToken;
  }

  /** Measures the real ratio once on a sample of code; later calls do nothing. */
  async calibrate(engine: CompletionEngine, sample: string): Promise<void> {
    if (this.calibrated || sample.length < MIN_CALIBRATION_CHARS) {
      return;
    }
    this.calibrated = true;
    const text = sample.slice(0, MAX_CALIBRATION_CHARS);
    const tokens = await engine.countTokens(text);
    const ratio = tokens > 0 ? text.length / tokens : 0;
    if (ratio >= MIN_CHARS_PER_TOKEN && ratio <= MAX_CHARS_PER_TOKEN) {
      this.charsPerToken = ratio;
    }
  }
}
