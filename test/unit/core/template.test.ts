import * as assert from 'node:assert/strict';
import type { PromptPart, SpecialTokenRole } from '../../../src/core/engine';
import { buildPrompt, commentedSnippet, type FimOrder, lineCommentFor, promptShapeOf } from '../../../src/core/completion/template';
import type { Snippet } from '../../../src/core/completion/types';
import { assertGolden } from './fixtures';

const SNIPPETS: Snippet[] = [
  { path: 'src/a.ts', startLine: 0, text: 'export const a = 1;', score: 0.5 },
  { path: 'src/b.ts', startLine: 6, text: 'export function b() {\n  return a;\n}', score: 0.4 },
];
const INPUT = { path: 'src/c.ts', languageId: 'typescript', snippets: SNIPPETS, prefix: 'const c = ', suffix: ';\n' };

const MODELS: Record<string, SpecialTokenRole[]> = {
  'fim-and-file-separator': ['fimPrefix', 'fimSuffix', 'fimMiddle', 'fileSeparator', 'endOfText'],
  'fim-only': ['fimPrefix', 'fimSuffix', 'fimMiddle'],
  'file-separator-only': ['fileSeparator', 'endOfText'],
  'no-special-tokens': [],
};

describe('prompt template', () => {
  for (const [model, roles] of Object.entries(MODELS)) {
    for (const order of ['spm', 'psm'] as FimOrder[]) {
      it(`${model}, ${order} (golden: template/${model}.${order}.json)`, () => {
        const prompt = buildPrompt(INPUT, promptShapeOf(new Set(roles)), order);
        assertGolden(prompt, 'template', `${model}.${order}.json`);
      });
    }
  }

  it('never puts special-token text in text parts; file text stays text', () => {
    const hostile = { ...INPUT, prefix: 'x = "<|fim_middle|>"', snippets: [] };
    const prompt = buildPrompt(hostile, promptShapeOf(new Set(MODELS['fim-and-file-separator'])), 'spm');
    const texts = prompt.filter((part): part is Extract<PromptPart, { kind: 'text' }> => part.kind === 'text');
    assert.deepEqual(texts.map((part) => part.text), [';\n', 'x = "<|fim_middle|>"']);
  });

  it('keeps the snippets and the prefix at the start in SPM, so typing only appends', () => {
    const shape = promptShapeOf(new Set(MODELS['fim-and-file-separator']));
    const before = buildPrompt(INPUT, shape, 'spm');
    const after = buildPrompt({ ...INPUT, prefix: INPUT.prefix + 'a + b' }, shape, 'spm');
    assert.deepEqual(after.slice(0, -1), before.slice(0, -1));
    assert.ok((after.at(-1) as { text: string }).text.startsWith((before.at(-1) as { text: string }).text));
  });

  it('comments snippets in the file language', () => {
    assert.equal(lineCommentFor('python'), '#');
    assert.equal(lineCommentFor('sql'), '--');
    assert.equal(lineCommentFor('typescript'), '//');
    assert.equal(commentedSnippet(SNIPPETS[1], 'python'), '# Path: src/b.ts\n# export function b() {\n#   return a;\n# }\n\n');
  });

  it('omits empty text parts (empty document, cursor at offset 0)', () => {
    const prompt = buildPrompt({ ...INPUT, snippets: [], prefix: '', suffix: '' }, promptShapeOf(new Set(MODELS['fim-only'])), 'psm');
    assert.deepEqual(prompt, [
      { kind: 'special', token: 'fimPrefix' },
      { kind: 'special', token: 'fimSuffix' },
      { kind: 'special', token: 'fimMiddle' },
    ]);
  });
});
