import * as assert from 'node:assert/strict';
import { runComplete, type CompletionRecord, type ErrorRecord } from '../../../src/cli/completeCommand';
import { CompletionCache } from '../../../src/core/completion/completionCache';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { requestAt, TEST_OPTIONS } from './requests';
import { promptText, ScriptedEngine } from './scriptedEngine';

/**
 * Issue 17, item 6: the completion cache's key covers every input that changes the answer, so a
 * suggestion computed for other open files, other recent edits, another language or other options
 * is never served again.
 */

const ORDER = { path: 'src/order.ts', text: 'export function total(order) {\n  return order.total + order.tax;\n}\n' };
const INVOICE = { path: 'src/order.ts', text: 'export function total(order) {\n  return order.total + order.fee;\n}\n' };

describe('completion cache key', () => {
  it('misses when the other open files, the recent edits or the language differ', () => {
    const cache = new CompletionCache();
    const request = requestAt('return ', '\n', { openFiles: [ORDER], recentEdits: [{ path: 'src/b.ts', text: 'let fee = 1;' }] });
    cache.set(request, 'order.tax;');
    assert.equal(cache.get({ ...request, openFiles: [{ ...ORDER }] }), 'order.tax;', 'the same content in new objects hits');
    assert.equal(cache.get({ ...request, openFiles: [INVOICE] }), undefined, 'another text of an open file');
    assert.equal(cache.get({ ...request, openFiles: [] }), undefined, 'a file closed');
    assert.equal(cache.get({ ...request, openFiles: [ORDER, { path: 'src/c.ts', text: 'x' }] }), undefined, 'a file opened');
    assert.equal(cache.get({ ...request, recentEdits: [] }), undefined, 'other recent edits');
    assert.equal(cache.get({ ...request, languageId: 'javascript' }), undefined, 'another language');
    assert.equal(cache.get(request, 'other options'), undefined, 'another variant');
  });

  it('serves typing-through only with the same open files, and ignores the current file listed among them', () => {
    const cache = new CompletionCache();
    const current = (prefix: string) => ({ path: 'src/a.ts', text: prefix });
    cache.set(requestAt('return ', '\n', { openFiles: [ORDER, current('return ')] }), 'order.tax;');
    assert.equal(cache.get(requestAt('return or', '\n', { openFiles: [ORDER, current('return or')] })), 'der.tax;');
    assert.equal(cache.get(requestAt('return or', '\n', { openFiles: [INVOICE] })), undefined);
  });

  it('through the CLI: a request with other open files is not answered from the cache of the first', async () => {
    // The scripted model copies what the open file's snippet returns.
    const engine = new ScriptedEngine((prompt) => (prompt.includes('order.fee') ? 'order.total + order.fee;\n' : 'order.total + order.tax;\n'));
    const pipeline = new CompletionPipeline(engine, () => TEST_OPTIONS);
    const line = (id: number, openFile: typeof ORDER) =>
      JSON.stringify({ id, path: 'src/a.ts', languageId: 'typescript', prefix: 'function f(order) {\n  const total = order.total;\n  return ', suffix: '\n}\n', openFiles: [openFile], mode: 'line' });
    async function* lines(): AsyncIterable<string> {
      yield* [line(1, ORDER), line(2, INVOICE), line(3, ORDER)];
    }
    const records: (CompletionRecord | ErrorRecord)[] = [];
    await runComplete(lines(), pipeline, (record) => records.push(record));
    assert.deepEqual(
      records.map((record) => (record as CompletionRecord).completion),
      ['order.total + order.tax;', 'order.total + order.fee;', 'order.total + order.tax;'],
    );
    assert.ok(promptText(engine.generateCalls()[1].prompt).includes('order.fee'));
    assert.equal(engine.generateCalls().length, 2, 'the third request, like the first, comes from the cache');
  });

  it('misses after the options change', async () => {
    let options = TEST_OPTIONS;
    const engine = new ScriptedEngine(() => 'a;\nb;\n');
    const pipeline = new CompletionPipeline(engine, () => options);
    await pipeline.complete(requestAt('x = ', '\n'));
    options = { ...TEST_OPTIONS, temperature: 0.5 };
    const result = await pipeline.complete(requestAt('x = ', '\n'));
    assert.equal(result?.source, 'generated');
  });
});
