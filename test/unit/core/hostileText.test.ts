import * as assert from 'node:assert/strict';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { SourceText } from '../../../src/core/completion/types';
import { requestAt, TEST_OPTIONS } from './requests';
import { promptText, ScriptedEngine } from './scriptedEngine';

/**
 * Issue 17, item 2, through the whole pipeline: text copied from another open file ("Trojan
 * Source") never brings bidi controls, nor invisible or confusable characters the current
 * document does not hold, into a suggestion, streamed or final.
 */

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** Another open file whose admin check reads differently from how it runs. */
const TROJAN: SourceText = {
  path: 'src/auth.ts',
  text: [
    'export function checkAccess(user: User) {',
    '  if (user.isAdmin) {',
    '    grantAccess(user);',
    '  }',
    '  /* \u202e } \u2066if (user.isAdmin)\u2069 \u2066 begin admins only */',
    '  auditAccess(user);',
    '}',
    '',
  ].join('\n'),
};

/** What a model copying the other file writes at the cursor, bidi controls included. */
const COPIED = '  if (user.isAdmin) {\n    grantAccess(user);\n  }\n  /* \u202e } \u2066if (user.isAdmin)\u2069 \u2066 begin admins only */\n  auditAccess(user);\n}\n';

const PREFIX = 'import { User } from "./user";\n\nexport function checkUser(user: User) {\n';

function pipelineFor(engine: ScriptedEngine): CompletionPipeline {
  return new CompletionPipeline(engine, () => TEST_OPTIONS);
}

describe('hostile text never reaches a suggestion', () => {
  it('Trojan Source: a right-to-left override in another open file reaches neither the prompt nor the suggestion', async () => {
    const engine = new ScriptedEngine(() => COPIED);
    const updates: string[] = [];
    const documents: string[] = [];
    const ngramDocuments = { update: (list: readonly SourceText[]) => documents.push(...list.map((document) => document.text)) };
    const pipeline = new CompletionPipeline(engine, () => TEST_OPTIONS, { ngramDocuments });
    const result = await pipeline.complete(requestAt(PREFIX, '\n', { path: 'src/user.ts', openFiles: [TROJAN] }), {
      onUpdate: (text) => updates.push(text),
    });
    // The other file was used as a few-shot example, without its controls.
    const prompt = promptText(engine.generateCalls()[0].prompt);
    assert.ok(prompt.includes('begin admins only'), 'the other file is a snippet in the prompt');
    assert.ok(!BIDI.test(prompt), 'no bidi control in the prompt');
    assert.ok(documents.some((text) => text === TROJAN.text), 'the n-gram cache is told about the file (its engine drops the controls)');
    // The model copied the line anyway: the suggestion stops before the first control.
    assert.ok(result !== undefined && (result.trace?.rawChars ?? 0) > result.completion.length);
    assert.equal(result.completion, '  if (user.isAdmin) {\n    grantAccess(user);\n  }\n  /*');
    assert.ok(updates.length > 0, 'streamed');
    for (const text of [...updates, result.completion]) {
      assert.ok(!BIDI.test(text), `no bidi control in ${JSON.stringify(text)}`);
    }
  });

  it('a zero-width space copied from another file is cut, and kept where the document has one', async () => {
    const other: SourceText = { path: 'src/names.ts', text: 'export const admin\u200bUser = lookup("admin");\n' };
    const answer = 'admin\u200bUser;\n';
    const plain = await pipelineFor(new ScriptedEngine(() => answer)).complete(requestAt('const user = ', '\n', { openFiles: [other] }));
    assert.equal(plain?.completion, 'admin');
    const withZeroWidth = requestAt('const zws = "\u200b";\nconst user = ', '\n', { openFiles: [other] });
    const kept = await pipelineFor(new ScriptedEngine(() => answer)).complete(withZeroWidth);
    assert.equal(kept?.completion, 'admin\u200bUser;');
  });

  it('a Cyrillic homoglyph is cut in an ASCII document, and Cyrillic kept in a document with Russian comments', async () => {
    const answer = 'p\u0430ypal.com";\n';
    const ascii = await pipelineFor(new ScriptedEngine(() => answer)).complete(requestAt('const host = "', '\n'));
    assert.equal(ascii?.completion, 'p');
    const russian = await pipelineFor(new ScriptedEngine(() => answer)).complete(requestAt('// \u0430\u0434\u0440\u0435\u0441\nconst host = "', '\n'));
    assert.equal(russian?.completion, 'p\u0430ypal.com";');
  });
});
