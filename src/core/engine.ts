// The narrow contract between the completion pipeline (src/core) and the inference engine.
// The core depends only on this file; the host-side worker client implements it, and so can a
// plain in-process engine in the CLI or a test double in unit tests.

/** A prompt is text interleaved with named special tokens, so user text can never inject one. */
export type PromptPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'special'; readonly token: SpecialTokenRole };

export type SpecialTokenRole = 'fimPrefix' | 'fimSuffix' | 'fimMiddle' | 'fileSeparator' | 'endOfText';

export interface ModelInfo {
  readonly id: string;
  /** Roles the loaded tokenizer has a token for (read from its files, never assumed). */
  readonly specialTokens: ReadonlySet<SpecialTokenRole>;
  /** Longest prompt + generation the model handles well (its training context). */
  readonly contextTokens: number;
}

export interface GenerateOptions {
  readonly maxNewTokens: number;
  readonly temperature: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
  readonly repetitionPenalty?: number;
  readonly stopSequences?: readonly string[];
  /** Blend the n-gram cache of open files into decoding; engines without one ignore it. */
  readonly useNgramCache?: boolean;
  readonly signal?: AbortSignal;
}

export interface GenerateResult {
  readonly text: string;
  readonly promptTokens: number;
  readonly generatedTokens: number;
  /** Prompt tokens served from the KV cache instead of being prefilled again. */
  readonly reusedPromptTokens: number;
  readonly stopReason: 'eos' | 'stop-sequence' | 'max-tokens' | 'cancelled';
  /** Where the engine spent its time: the prompt's prefill (first token's logits) and the decode after it. */
  readonly timings?: { readonly prefillMs: number; readonly decodeMs: number };
}

export interface CompletionEngine {
  info(): Promise<ModelInfo>;
  countTokens(text: string): Promise<number>;
  /** Streams text deltas through onDelta as tokens are decoded; resolves when generation ends. */
  generate(prompt: readonly PromptPart[], options: GenerateOptions, onDelta?: (delta: string) => void): Promise<GenerateResult>;
  /** Warms the KV cache with a prompt without generating (typing pauses, file opens). */
  prefill(prompt: readonly PromptPart[], signal?: AbortSignal): Promise<void>;
  /**
   * The documents the n-gram cache learns from, most important first; the cache then
   * holds exactly these. Called before every request with the whole list: engines send and
   * tokenize only what changed. Engines without a cache leave it out.
   */
  updateDocuments?(documents: readonly { readonly path: string; readonly text: string }[]): void;
}
