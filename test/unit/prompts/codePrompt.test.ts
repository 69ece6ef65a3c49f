import * as assert from 'node:assert/strict';
import { promptShapeOf } from '../../../src/core/completion/template';
import type { SpecialTokenRole } from '../../../src/core/engine';
import { commentLine, continuationPrompt, type CursorContext, instructionPrompt } from '../../../src/core/prompts/codePrompt';
import { assertGolden } from '../core/fixtures';

const FIM_MODEL = promptShapeOf(new Set<SpecialTokenRole>(['fimPrefix', 'fimSuffix', 'fimMiddle', 'fileSeparator', 'endOfText']));
const PLAIN_MODEL = promptShapeOf(new Set<SpecialTokenRole>());

const CONTEXTS: Record<string, CursorContext> = {
  'line-start-indented': { path: 'src/math.ts', languageId: 'typescript', prefix: 'export class MathUtil {\n  ', suffix: '\n}\n' },
  'mid-line': { path: 'src/math.ts', languageId: 'typescript', prefix: 'export class MathUtil {\n  const x = 1;', suffix: '\n}\n' },
  'end-of-python-file': { path: 'tools/run.py', languageId: 'python', prefix: 'import os\n\n', suffix: '' },
};

describe('generate and continue prompts', () => {
  for (const [name, context] of Object.entries(CONTEXTS)) {
    it(`instruction prompt: ${name} (golden: prompts/code/${name}.json)`, () => {
      const prompts = {
        fimModel: instructionPrompt(context, 'add two numbers', FIM_MODEL),
        plainModel: instructionPrompt(context, 'add two numbers', PLAIN_MODEL),
        continuation: continuationPrompt(context, FIM_MODEL),
      };
      assertGolden(prompts, '..', 'prompts', 'code', `${name}.json`);
    });
  }

  it('puts the instruction above the cursor line, so the model continues at the cursor', () => {
    const [part] = instructionPrompt(CONTEXTS['mid-line'], 'declare x', PLAIN_MODEL);
    assert.deepEqual(part, { kind: 'text', text: 'export class MathUtil {\n  // declare x\n  const x = 1;' });
    const [atLineStart] = instructionPrompt(CONTEXTS['line-start-indented'], 'add', PLAIN_MODEL);
    assert.deepEqual(atLineStart, { kind: 'text', text: 'export class MathUtil {\n  // add\n  ' });
  });

  it('uses a suffix only when there is one, and never for continuing', () => {
    const atEnd = instructionPrompt(CONTEXTS['end-of-python-file'], 'list files', FIM_MODEL);
    assert.ok(!atEnd.some((part) => part.kind === 'special' && part.token === 'fimSuffix'));
    const inside = instructionPrompt(CONTEXTS['line-start-indented'], 'add', FIM_MODEL);
    assert.ok(inside.some((part) => part.kind === 'special' && part.token === 'fimSuffix'));
    assert.ok(!continuationPrompt(CONTEXTS['line-start-indented'], FIM_MODEL).some((part) => part.kind === 'special' && part.token === 'fimSuffix'));
  });

  it('writes the instruction as one comment line in the language', () => {
    assert.equal(commentLine('python', 'read\n  a file'), '# read a file');
    assert.equal(commentLine('typescript', 'sum'), '// sum');
    assert.equal(commentLine('css', 'a red button'), '/* a red button */');
    assert.equal(commentLine('html', 'a table'), '<!-- a table -->');
  });
});
