import type { CompletionEngine, GenerateOptions, GenerateResult, ModelInfo, PromptPart, SpecialTokenRole } from '../../../src/core/engine';

/**
 * A small deterministic CompletionEngine for unit tests of the orchestrator: it "generates" a
 * scripted answer chosen by the prompt, one character per step with a fixed delay, honours
 * stop sequences and abort signals, and records every call.
 */

export const ALL_SPECIAL_TOKENS: ReadonlySet<SpecialTokenRole> = new Set(['fimPrefix', 'fimSuffix', 'fimMiddle', 'fileSeparator', 'endOfText']);
const CHARS_PER_TOKEN = 4;

export interface ScriptedCall {
  readonly kind: 'generate' | 'prefill';
  readonly prompt: readonly PromptPart[];
  readonly options?: GenerateOptions;
  stoppedBy?: 'abort' | 'end';
}

export class ScriptedEngine implements CompletionEngine {
  readonly calls: ScriptedCall[] = [];

  constructor(
    /** The answer for a prompt, from its text (special tokens shown as <role>). */
    private readonly answer: (promptText: string) => string,
    private readonly stepMs = 1,
    private readonly specialTokens: ReadonlySet<SpecialTokenRole> = ALL_SPECIAL_TOKENS,
    private readonly contextTokens = 2048,
  ) {}

  async info(): Promise<ModelInfo> {
    return { id: 'scripted', specialTokens: this.specialTokens, contextTokens: this.contextTokens };
  }

  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / CHARS_PER_TOKEN);
  }

  async generate(prompt: readonly PromptPart[], options: GenerateOptions, onDelta?: (delta: string) => void): Promise<GenerateResult> {
    const call: ScriptedCall = { kind: 'generate', prompt, options };
    this.calls.push(call);
    const full = this.answer(promptText(prompt));
    const promptTokens = Math.ceil(promptText(prompt).length / CHARS_PER_TOKEN);
    let text = '';
    for (const char of full.slice(0, options.maxNewTokens)) {
      await delay(this.stepMs);
      if (options.signal?.aborted) {
        call.stoppedBy = 'abort';
        return { text, promptTokens, generatedTokens: text.length, reusedPromptTokens: 0, stopReason: 'cancelled' };
      }
      text += char;
      onDelta?.(char);
      if (options.stopSequences?.some((stop) => text.endsWith(stop))) {
        call.stoppedBy = 'end';
        return { text, promptTokens, generatedTokens: text.length, reusedPromptTokens: 0, stopReason: 'stop-sequence' };
      }
    }
    call.stoppedBy = 'end';
    return { text, promptTokens, generatedTokens: text.length, reusedPromptTokens: 0, stopReason: 'eos' };
  }

  async prefill(prompt: readonly PromptPart[]): Promise<void> {
    this.calls.push({ kind: 'prefill', prompt });
  }

  generateCalls(): ScriptedCall[] {
    return this.calls.filter((call) => call.kind === 'generate');
  }
}

export function promptText(prompt: readonly PromptPart[]): string {
  return prompt.map((part) => (part.kind === 'text' ? part.text : `<${part.token}>`)).join('');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
