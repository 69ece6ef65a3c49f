import type { ModelInfo, PromptPart } from '../engine';
import { decideMode, promptSuffix } from './completionMode';
import { gatherWindows } from './gather';
import { snippetQueryText, SnippetSelector } from './snippets';
import { buildPrompt, DEFAULT_FIM_ORDER, type FimOrder, promptShapeOf } from './template';
import type { TimeSlicer } from './timeSlicer';
import { TokenEstimator } from './tokenEstimator';
import type { CompletionMode, CompletionRequest, ContextWindows, PipelineOptions, Snippet } from './types';

/**
 * Gather, snippets and template together: the prompt for a request. Completion and prefill-ahead
 * both use it, so that what is prefilled is exactly the beginning of the next completion's prompt.
 */

/** Tokens the template's special tokens and snippet labels may take beyond the estimates. */
export const TEMPLATE_OVERHEAD_TOKENS = 16;
/** Few-shot snippets never take more than this share of the model's context. */
export const MAX_SNIPPET_SHARE = 0.4;

export interface PromptPlan {
  readonly prompt: PromptPart[];
  readonly windows: ContextWindows;
  readonly mode: CompletionMode;
  readonly snippets: readonly Snippet[];
  /** The tokens the snippets may take, labels included. */
  readonly snippetTokens: number;
}

/** What the snippets of a plan cost in the prompt, to be counted by the real tokenizer. */
export function snippetBudgetText(snippets: readonly Snippet[]): string {
  return snippets.map((snippet) => `${snippet.path}\n${snippet.text}`).join('\n');
}

/** Splits the model's context between the file's windows and the snippets, leaving room to generate. */
export function planBudget(options: PipelineOptions, modelContextTokens: number): { contextTokens: number; snippetTokens: number } {
  const available = Math.max(0, modelContextTokens - options.maxNewTokens - TEMPLATE_OVERHEAD_TOKENS);
  const snippetTokens = options.fewShot ? Math.min(options.fewShotTokens, Math.floor(available * MAX_SNIPPET_SHARE)) : 0;
  return { contextTokens: Math.min(options.contextTokens, available - snippetTokens), snippetTokens };
}

export interface MeasuredRatios {
  readonly document?: number;
  readonly snippets?: number;
}

export class PromptPlanner {
  private readonly selector = new SnippetSelector();

  constructor(
    private readonly estimator: TokenEstimator,
    private readonly fimOrder: FimOrder = DEFAULT_FIM_ORDER,
  ) {}

  /**
   * `ratios`: characters per token measured on this document, and on the snippets chosen for it,
   * each used when lower than usual (text beyond ASCII, binary text).
   */
  plan(request: CompletionRequest, info: ModelInfo, options: PipelineOptions, ratios: MeasuredRatios = {}): PromptPlan {
    const budget = planBudget(options, info.contextTokens);
    const windows = gatherWindows(request.prefix, request.suffix, budget.contextTokens, this.estimatorFor(ratios.document), request.prefixOffset);
    const snippetChars = this.estimatorFor(ratios.snippets).charsFor(budget.snippetTokens);
    const snippets = budget.snippetTokens > 0 ? this.snippetsFor(request, windows, snippetChars) : [];
    const prompt = buildPrompt(
      { path: request.path, languageId: request.languageId, snippets, prefix: windows.prefix, suffix: promptSuffix(windows.suffix) },
      promptShapeOf(info.specialTokens),
      this.fimOrder,
    );
    return { prompt, windows, mode: decideMode(windows.prefix, windows.suffix, request.mode), snippets, snippetTokens: budget.snippetTokens };
  }

  /**
   * Indexes and scores the snippet sources for this request in time slices ahead of plan(), which
   * then only picks among the prepared candidates (when its query is the one prepared: the lines
   * before the cursor, which the prefix window nearly always holds).
   */
  async prepareSnippets(request: CompletionRequest, options: PipelineOptions, slicer: TimeSlicer): Promise<void> {
    const sources = { openFiles: request.openFiles, recentEdits: request.recentEdits ?? [] };
    if (!options.fewShot || sources.openFiles.length + sources.recentEdits.length === 0) {
      return;
    }
    await this.selector.prepare({ text: snippetQueryText(request.prefix), currentPath: request.path }, sources, slicer);
  }

  private estimatorFor(ratio: number | undefined): TokenEstimator {
    return ratio !== undefined && ratio < this.estimator.ratio ? new TokenEstimator(ratio) : this.estimator;
  }

  private snippetsFor(request: CompletionRequest, windows: ContextWindows, budgetChars: number): Snippet[] {
    const sources = { openFiles: request.openFiles, recentEdits: request.recentEdits ?? [] };
    if (sources.openFiles.length + sources.recentEdits.length === 0) {
      return [];
    }
    const query = { text: snippetQueryText(windows.prefix), currentPath: request.path, contextText: windows.prefix + windows.suffix };
    return this.selector.select(query, sources, budgetChars);
  }
}
