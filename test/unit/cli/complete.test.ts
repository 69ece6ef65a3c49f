import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { type CompletionRecord, type ErrorRecord, runComplete } from '../../../src/cli/completeCommand';
import { parseRequestLine } from '../../../src/cli/requestLine';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { TEST_OPTIONS } from '../core/requests';
import { ScriptedEngine } from '../core/scriptedEngine';

async function* linesOf(text: string): AsyncIterable<string> {
  yield* text.split('\n');
}

const GOOD = {
  id: 7,
  path: 'src/a.ts',
  languageId: 'typescript',
  prefix: 'return ',
  suffix: '\n',
  openFiles: [{ path: 'b.ts', text: 'x' }],
  recentEdits: [{ path: 'c.ts', text: 'y' }],
  mode: 'line',
};

describe('CLI: local-gpt complete', () => {
  it('parses its options', () => {
    assert.deepEqual(parseArgs(['complete']), {
      kind: 'complete',
      args: { modelDir: undefined, threads: 0, maxLineBytes: 16 * 1024 * 1024, fewShot: true, ngramCache: true },
    });
    assert.deepEqual(parseArgs(['complete', '--model', 'models/lgc-fixture', '--threads', '2', '--max-line-bytes', '1000', '--no-few-shot', '--no-ngram-cache']), {
      kind: 'complete',
      args: { modelDir: 'models/lgc-fixture', threads: 2, maxLineBytes: 1000, fewShot: false, ngramCache: false },
    });
    assert.equal(parseArgs(['complete', '--max-line-bytes', '0']).kind, 'error');
    assert.equal(parseArgs(['complete', '--max-line-bytes', '1e6']).kind, 'error');
    assert.equal(parseArgs(['complete', '--model']).kind, 'error');
    assert.equal(parseArgs(['complete', '--threads', 'many']).kind, 'error');
    assert.equal(parseArgs(['complete', 'x']).kind, 'error');
    assert.deepEqual(parseArgs(['complete', '--help']), { kind: 'help' });
  });

  it('reads a request line, with defaults for optional fields', () => {
    const { id, ...request } = GOOD;
    assert.deepEqual(parseRequestLine(JSON.stringify(GOOD)), { ok: true, id, request });
    const minimal = parseRequestLine('{"id":"a","path":"p","languageId":"js","prefix":""}');
    assert.deepEqual(minimal, { ok: true, id: 'a', request: { path: 'p', languageId: 'js', prefix: '', suffix: '', openFiles: [], recentEdits: [], mode: 'auto' } });
  });

  it('says what is wrong with a bad line', () => {
    const errors = ['[1]', 'nope', '{"id":1,"path":2}', '{"id":1,"path":"p","languageId":"js","prefix":"","mode":"block"}', '{"id":{},"path":"p"}', '{"id":1,"path":"p","languageId":"js","prefix":"","openFiles":[{"path":1}]}', '{"id":1,"path":"p","languageId":"js","prefix":"","recentEdits":"x"}'].map(
      (line) => parseRequestLine(line),
    );
    assert.deepEqual(
      errors.map((parsed) => (parsed.ok ? 'ok' : parsed.error.split(':')[0])),
      ['a request must be a JSON object', 'not JSON', '"path" must be a string', '"mode" must be one of "line", "auto"', '"id" must be a string or a number', '"openFiles" must be an array of {"path"', '"recentEdits" must be an array of {"path"'],
    );
    assert.equal((errors[2] as { id: unknown }).id, 1, 'the id is kept when it is readable');
  });

  it('answers every line in order, bad ones with an error record, and goes on', async () => {
    const engine = new ScriptedEngine(() => 'total;\n');
    const pipeline = new CompletionPipeline(engine, () => TEST_OPTIONS);
    const records: (CompletionRecord | ErrorRecord)[] = [];
    const input = [JSON.stringify(GOOD), '', '{broken', JSON.stringify({ ...GOOD, id: 'second', prefix: 'let x = ' })].join('\n');
    const counts = await runComplete(linesOf(input), pipeline, (record) => records.push(record));
    assert.deepEqual(counts, { served: 2, failed: 1 });
    assert.deepEqual(
      records.map((record) => ('error' in record ? { id: record.id, error: true } : { id: record.id, completion: record.completion })),
      [{ id: 7, completion: 'total;' }, { id: null, error: true }, { id: 'second', completion: 'total;' }],
    );
    const first = records[0] as CompletionRecord;
    assert.ok(first.latencyMs >= 0 && first.promptTokens > 0 && first.generatedTokens === 'total;\n'.length);
  });

  it('answers an engine failure with an error record', async () => {
    const engine = new ScriptedEngine(() => 'x');
    engine.generate = () => Promise.reject(new Error('worker crashed'));
    const records: (CompletionRecord | ErrorRecord)[] = [];
    await runComplete(linesOf(JSON.stringify(GOOD)), new CompletionPipeline(engine, () => TEST_OPTIONS), (record) => records.push(record));
    assert.deepEqual(records, [{ id: 7, error: 'worker crashed' }]);
  });
});
