/** Plain data passed between the stages of the inline-completion pipeline (no `vscode`). */
import type { GenerateResult } from '../engine';

/** A file the user has open, or a range of one they edited recently. */
export interface SourceText {
  readonly path: string;
  readonly text: string;
}

/** "line" asks for the rest of the current line only; "auto" decides from the cursor's context. */
export type RequestedMode = 'line' | 'auto';

/** What the pipeline generates: the rest of one line, or a block of lines. */
export type CompletionMode = 'single-line' | 'multi-line';

export interface CompletionRequest {
  readonly path: string;
  readonly languageId: string;
  /** Text before the cursor (may be huge: stages only look at a window of it). */
  readonly prefix: string;
  /**
   * Offset in the document of the prefix's first character, when the caller passes only the end
   * of a long document (default 0). Windows are placed by document offsets, so they stay put
   * while typing even though such a clipped prefix starts somewhere else each time.
   */
  readonly prefixOffset?: number;
  /** All text after the cursor. */
  readonly suffix: string;
  /** Other open files, the current one excluded or not (it is skipped by path). */
  readonly openFiles: readonly SourceText[];
  /** Text of ranges edited recently, in any file. */
  readonly recentEdits?: readonly SourceText[];
  readonly mode: RequestedMode;
}

/** The pipeline's knobs, in model tokens and lines; see `optionsFromSettings`. */
export interface PipelineOptions {
  /** Budget for the prefix and suffix windows together. */
  readonly contextTokens: number;
  /** Few-shot snippets from other files: on or off, and their own budget. */
  readonly fewShot: boolean;
  readonly fewShotTokens: number;
  readonly maxLines: number;
  readonly maxNewTokens: number;
  readonly temperature: number;
  /** Blend the engine's n-gram cache of open files into decoding. */
  readonly useNgramCache: boolean;
}

/** A window of another file chosen as a few-shot example, with its Jaccard score. */
export interface Snippet {
  readonly path: string;
  /** 0-based line of the window's first line in its file. */
  readonly startLine: number;
  readonly text: string;
  readonly score: number;
}

/** The prefix and suffix windows around the cursor that go into the prompt. */
export interface ContextWindows {
  readonly prefix: string;
  readonly suffix: string;
  /** Document offset of the prefix window's first character (0: the window holds the file's start). */
  readonly prefixStart: number;
}

export interface CompletionResult {
  readonly completion: string;
  readonly mode: CompletionMode;
  readonly promptTokens: number;
  readonly generatedTokens: number;
  readonly reusedPromptTokens: number;
  /** Where the suggestion came from: a new generation, the cache, or a generation already running. */
  readonly source: 'generated' | 'cache' | 'in-flight';
  /** Where the time went and why the suggestion is what it is, for the log (absent for the cache). */
  readonly trace?: CompletionTrace;
}

export interface CompletionTrace {
  /** Building the prompt (windows, snippets, token counts). */
  readonly planMs: number;
  /** From asking the engine to its answer: queue and messages, prefill and decode. */
  readonly engineMs: number;
  /** The engine's own prefill and decode times, when it reports them. */
  readonly prefillMs?: number;
  readonly decodeMs?: number;
  readonly stopReason: GenerateResult['stopReason'];
  /** Length of the model's text before post-processing. */
  readonly rawChars: number;
  /** For an empty suggestion: the post-processing step that left nothing (see emptiedBy). */
  readonly emptiedBy?: string;
}
