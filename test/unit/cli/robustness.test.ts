import * as assert from 'node:assert/strict';
import { type CompletionRecord, type ErrorRecord, runComplete } from '../../../src/cli/completeCommand';
import { readLines } from '../../../src/cli/lineReader';
import { parseRequestLine } from '../../../src/cli/requestLine';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { MAX_SOURCE_CHARS } from '../../../src/core/completion/sourceFilter';
import { MAX_OPEN_FILES, MAX_RECENT_EDITS } from '../../../src/core/completion/sourceLimits';
import { TEST_OPTIONS } from '../core/requests';
import { promptText, ScriptedEngine } from '../core/scriptedEngine';

/** Issue 17, item 3, without a model: over-long lines and the open-file caps. */

const REQUEST = { id: 1, path: 'src/a.ts', languageId: 'typescript', prefix: 'return ', suffix: '\n', mode: 'line' };

async function* chunksOf(...chunks: string[]): AsyncIterable<string> {
  yield* chunks;
}

describe('CLI robustness', () => {
  it('answers a line over --max-line-bytes with an error naming the limit, then serves the next line', async () => {
    const records: (CompletionRecord | ErrorRecord)[] = [];
    const pipeline = new CompletionPipeline(new ScriptedEngine(() => 'total;\n'), () => TEST_OPTIONS);
    const huge = JSON.stringify({ ...REQUEST, id: 'huge', prefix: 'x'.repeat(5000) });
    const input = chunksOf(huge.slice(0, 2000), huge.slice(2000), '\n', JSON.stringify(REQUEST), '\n');
    const counts = await runComplete(readLines(input, 1000), pipeline, (record) => records.push(record));
    assert.deepEqual(counts, { served: 1, failed: 1 });
    assert.deepEqual(records[0], {
      id: null,
      error: `request line of ${Buffer.byteLength(huge)} bytes is longer than the limit of 1000 bytes (--max-line-bytes); it was skipped`,
    });
    assert.equal((records[1] as CompletionRecord).completion, 'total;');
  });

  it('keeps the first open files the extension would keep: not the current file, none refused, at most MAX_OPEN_FILES', () => {
    const files = Array.from({ length: 40 }, (_, index) => ({ path: `src/f${index}.ts`, text: `export const f${index} = ${index};\n` }));
    const refused = [
      { path: 'src/a.ts', text: 'the current file' },
      { path: '.env', text: 'API_KEY=secret\n' },
      { path: 'src/huge.ts', text: 'x'.repeat(MAX_SOURCE_CHARS + 1) },
      { path: 'src/binary.ts', text: 'a\u0000b' },
    ];
    const edits = Array.from({ length: 20 }, (_, index) => ({ path: `src/e${index}.ts`, text: `edit ${index}` }));
    const parsed = parseRequestLine(JSON.stringify({ ...REQUEST, openFiles: [...refused, ...files], recentEdits: [refused[1], ...edits] }));
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.request.openFiles.map((file) => file.path),
      files.slice(0, MAX_OPEN_FILES).map((file) => file.path),
    );
    assert.deepEqual(parsed.request.recentEdits, edits.slice(0, MAX_RECENT_EDITS));
  });

  it('sends no snippet of an open file past the cap to the model', async () => {
    const filler = Array.from({ length: MAX_OPEN_FILES }, (_, index) => ({ path: `src/other${index}.ts`, text: `const unrelated${index} = ${index};\n` }));
    const late = { path: 'src/order.ts', text: 'export function total(order) {\n  return order.total + order.tax;\n}\n' };
    const line = JSON.stringify({ ...REQUEST, prefix: 'function f(order) {\n  const total = order.total;\n  return ', openFiles: [...filler, late] });
    const engine = new ScriptedEngine(() => 'order.total;\n');
    const records: (CompletionRecord | ErrorRecord)[] = [];
    await runComplete(readLines(chunksOf(line, '\n'), 1 << 20), new CompletionPipeline(engine, () => TEST_OPTIONS), (record) => records.push(record));
    assert.equal(records.length, 1);
    assert.ok(!promptText(engine.generateCalls()[0].prompt).includes('src/order.ts'));
  });
});
