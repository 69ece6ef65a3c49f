import * as assert from 'node:assert/strict';
import { ngramDocumentsOf } from '../../../src/core/completion/ngramDocuments';
import type { CompletionRequest } from '../../../src/core/completion/types';

/** What the n-gram cache is told before a request: the current file split at the cursor, and the others. */
describe('ngramDocumentsOf', () => {
  const request: CompletionRequest = {
    path: 'src/todo.js',
    languageId: 'javascript',
    prefix: 'function isDone(item) {\n  return item',
    suffix: '\n}\n',
    openFiles: [
      { path: 'src/todo.js', text: 'function isDone(item) {\n  return item\n}\n' },
      { path: 'src/shapes.ts', text: 'export const area = (w: number, h: number) => w * h;\n' },
    ],
    recentEdits: [
      // The range being typed in, with the lines around it: it goes on past the cursor.
      { path: 'src/todo.js', text: 'function isDone(item) {\n  return item\n}\n' },
      { path: 'src/shapes.ts', text: 'export const area = (w: number, h: number) => w * h;\n' },
    ],
    mode: 'auto',
  };

  it('gives the current file as the text before and the text after the cursor, nothing more of it', () => {
    const documents = ngramDocumentsOf(request);
    const current = documents.filter((document) => document.path === request.path);
    assert.deepEqual(
      current.map((document) => document.text),
      [request.prefix, request.suffix],
    );
  });

  it('keeps the other open files and the recent edits of other files', () => {
    const others = ngramDocumentsOf(request).filter((document) => document.path !== request.path);
    assert.equal(others.length, 2);
    assert.ok(others.every((document) => document.path === 'src/shapes.ts'));
  });

  it('never gives the cache text that runs on past the cursor in the current file', () => {
    for (const document of ngramDocumentsOf(request)) {
      assert.ok(!document.text.includes('return item\n'), `${document.path}: ${JSON.stringify(document.text)}`);
    }
  });
});
