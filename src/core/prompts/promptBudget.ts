import { gatherWindows, SUFFIX_SHARE } from '../completion/gather';
import { TokenEstimator } from '../completion/tokenEstimator';
import type { CompletionEngine, PromptPart } from '../engine';

/**
 * Token budgets for the command-palette generations: the prompt plus the tokens to generate must
 * fit the model's context, and the prompt is cut to the nearest text around the cursor.
 */

/** Tokens kept free for the template (special tokens, the path line, the instruction comment). */
export const PROMPT_OVERHEAD_TOKENS = 16;
/** A generation may use at most this share of the context, so the prompt keeps the rest. */
export const MAX_GENERATION_SHARE = 0.5;
/** Attempts at cutting the windows before giving up; each uses the real token count. */
const MAX_FIT_ATTEMPTS = 4;

export interface GenerationBudget {
  readonly maxNewTokens: number;
  /** Tokens for the prefix and suffix windows together. */
  readonly contextTokens: number;
}

export function generationBudget(maxNewTokensSetting: number, contextTokensSetting: number, modelContextTokens: number): GenerationBudget {
  const maxNewTokens = Math.max(1, Math.min(maxNewTokensSetting, Math.floor(modelContextTokens * MAX_GENERATION_SHARE)));
  const room = modelContextTokens - maxNewTokens - PROMPT_OVERHEAD_TOKENS;
  return { maxNewTokens, contextTokens: Math.max(1, Math.min(contextTokensSetting, room)) };
}

export interface FittedPrompt<T> {
  readonly prompt: T;
  readonly promptTokens: number;
}

/**
 * Cuts the prefix (keeping its end) and the suffix (keeping its start) until the prompt built
 * from them fits `budget` tokens as the engine's tokenizer counts them. The first cut uses the
 * estimated characters per token; later ones shrink it by the measured overshoot.
 */
export async function fitPrompt<T>(
  engine: Pick<CompletionEngine, 'countTokens'>,
  prefix: string,
  suffix: string,
  budgetTokens: number,
  build: (prefix: string, suffix: string) => { readonly parts: readonly PromptPart[]; readonly value: T },
): Promise<FittedPrompt<T>> {
  const estimator = new TokenEstimator();
  // The windows keep a share for the suffix; with none, the prefix may have the whole budget.
  let windowTokens = suffix.length === 0 ? Math.floor(budgetTokens / (1 - SUFFIX_SHARE)) : budgetTokens;
  for (let attempt = 0; attempt < MAX_FIT_ATTEMPTS; attempt++) {
    const windows = gatherWindows(prefix, suffix, windowTokens, estimator);
    const built = build(windows.prefix, windows.suffix);
    const tokens = await promptTokens(engine, built.parts);
    if (tokens <= budgetTokens + PROMPT_OVERHEAD_TOKENS) {
      return { prompt: built.value, promptTokens: tokens };
    }
    windowTokens = Math.floor(windowTokens * (budgetTokens / tokens) * 0.9);
  }
  const built = build('', '');
  return { prompt: built.value, promptTokens: await promptTokens(engine, built.parts) };
}

/** Special tokens count one each; text is counted by the engine's tokenizer. */
export async function promptTokens(engine: Pick<CompletionEngine, 'countTokens'>, parts: readonly PromptPart[]): Promise<number> {
  const text = parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
  const specials = parts.filter((part) => part.kind === 'special').length;
  return specials + (text.length > 0 ? await engine.countTokens(text) : 0);
}
