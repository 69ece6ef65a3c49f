import type { CompletionEngine } from '../engine';
import { type PromptPlan, snippetBudgetText } from './promptPlan';
import { setMostRecent } from './recentMap';

/**
 * Keeps few-shot snippets within their token budget. Snippets are sized by the ratio of
 * characters per token measured on code, but other open files may hold text that tokenizes far
 * worse (locale tables in Arabic or Chinese take 2-3 times the tokens): counted on the held-out
 * corpus, such snippets overflowed a 512-token model's context by up to 138 tokens. So the chosen
 * snippets are counted by the real tokenizer, once per selection (selections hold while typing),
 * and when over budget the prompt is planned again with their measured ratio, remembered for the
 * document; snippets that still do not fit are left out rather than overflow the context.
 */

/** Re-plans with a measured ratio before giving up on snippets for the request. */
const MAX_REPLANS = 2;
const MAX_DOCUMENTS = 64;

/** Plans the request again: with this snippet ratio, or with no snippets at all. */
export type Replan = (snippetRatio: number) => PromptPlan;

export class SnippetTokenFit {
  private readonly ratios = new Map<string, number>();
  private counted: { readonly text: string; readonly tokens: number } | undefined;

  /** Characters per token of the snippets last chosen for this document, when they overflowed. */
  ratioFor(path: string): number | undefined {
    return this.ratios.get(path);
  }

  async fit(engine: CompletionEngine, path: string, plan: PromptPlan, replan: Replan, withoutSnippets: () => PromptPlan): Promise<PromptPlan> {
    for (let attempt = 0; attempt <= MAX_REPLANS; attempt++) {
      if (plan.snippets.length === 0) {
        return plan;
      }
      const text = snippetBudgetText(plan.snippets);
      const tokens = await this.count(engine, text);
      if (tokens <= plan.snippetTokens) {
        return plan;
      }
      if (attempt === MAX_REPLANS) {
        break;
      }
      const ratio = Math.min(text.length / tokens, this.ratios.get(path) ?? Number.POSITIVE_INFINITY);
      setMostRecent(this.ratios, path, ratio, MAX_DOCUMENTS);
      plan = replan(ratio);
    }
    return withoutSnippets();
  }

  private async count(engine: CompletionEngine, text: string): Promise<number> {
    if (this.counted?.text !== text) {
      this.counted = { text, tokens: await engine.countTokens(text) };
    }
    return this.counted.tokens;
  }
}
