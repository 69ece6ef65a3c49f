import * as assert from 'node:assert/strict';
import type { PromptPart } from '../../../src/core/engine';
import { fitPrompt, generationBudget, PROMPT_OVERHEAD_TOKENS, promptTokens } from '../../../src/core/prompts/promptBudget';

/** A tokenizer stand-in: one token per `charsPerToken` characters. */
function counter(charsPerToken: number): { countTokens(text: string): Promise<number>; calls: number } {
  const engine = {
    calls: 0,
    countTokens: async (text: string) => {
      engine.calls++;
      return Math.ceil(text.length / charsPerToken);
    },
  };
  return engine;
}

const textPrompt = (prefix: string, suffix: string) => {
  const parts: PromptPart[] = [{ kind: 'special', token: 'fimPrefix' }, { kind: 'text', text: prefix + suffix }];
  return { parts, value: { prefix, suffix } };
};

describe('prompt budget', () => {
  it('keeps the generation within half the context and the prompt in the rest', () => {
    assert.deepEqual(generationBudget(256, 768, 2048), { maxNewTokens: 256, contextTokens: 768 });
    assert.deepEqual(generationBudget(256, 768, 256), { maxNewTokens: 128, contextTokens: 256 - 128 - PROMPT_OVERHEAD_TOKENS });
    assert.deepEqual(generationBudget(4096, 8192, 1024), { maxNewTokens: 512, contextTokens: 1024 - 512 - PROMPT_OVERHEAD_TOKENS });
  });

  it('counts special tokens as one each and text with the tokenizer', async () => {
    const parts: PromptPart[] = [{ kind: 'special', token: 'fimPrefix' }, { kind: 'text', text: 'abcdefgh' }, { kind: 'special', token: 'fimMiddle' }];
    assert.equal(await promptTokens(counter(2), parts), 2 + 4);
  });

  it('cuts the prefix from its start and the suffix from its end until the real count fits', async () => {
    const prefix = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n') + '\nconst cursor = ';
    const suffix = ';\n' + Array.from({ length: 400 }, (_, i) => `after ${i}`).join('\n');
    // A tokenizer far less efficient than the estimate forces a second, measured cut.
    const engine = counter(1.5);
    const fitted = await fitPrompt(engine, prefix, suffix, 200, textPrompt);
    assert.ok(fitted.promptTokens <= 200 + PROMPT_OVERHEAD_TOKENS, `${fitted.promptTokens} tokens`);
    assert.ok(fitted.prompt.prefix.endsWith('const cursor = '), 'the text next to the cursor is kept');
    assert.ok(fitted.prompt.suffix.startsWith(';\n'), 'the suffix keeps its start');
    assert.ok(engine.calls >= 2, 'the first estimate was too generous and was measured again');
  });

  it('keeps everything when it fits', async () => {
    const fitted = await fitPrompt(counter(4), 'short prefix', ' and suffix', 200, textPrompt);
    assert.deepEqual(fitted.prompt, { prefix: 'short prefix', suffix: ' and suffix' });
  });

  it('gives the prefix the whole budget when there is no suffix', async () => {
    const prefix = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n');
    const engine = counter(4);
    const withoutSuffix = await fitPrompt(engine, prefix, '', 200, textPrompt);
    const withSuffix = await fitPrompt(engine, prefix, 'x'.repeat(4000), 200, textPrompt);
    assert.ok(withoutSuffix.promptTokens <= 200 + PROMPT_OVERHEAD_TOKENS);
    assert.ok(withoutSuffix.prompt.prefix.length > withSuffix.prompt.prefix.length * 1.2, `${withoutSuffix.prompt.prefix.length} vs ${withSuffix.prompt.prefix.length}`);
  });
});
