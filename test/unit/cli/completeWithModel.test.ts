import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { type CompletionRecord, type ErrorRecord, runComplete } from '../../../src/cli/completeCommand';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TEST_OPTIONS } from '../core/requests';
import { projectModels, testThreads, wasmDir } from '../engine/testModels';

/**
 * The CLI's loop with the real in-process engine and the tiny fixture model (skipped until the
 * model pipeline has produced it): greedy decoding answers the same input the same way.
 */
const fixture = projectModels().find((model) => model.name.startsWith('lgc-fixture'));

const LINES = [
  { id: 1, path: 'src/add.ts', languageId: 'typescript', prefix: 'export function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', mode: 'line' },
  {
    id: 2,
    path: 'src/sub.ts',
    languageId: 'typescript',
    prefix: 'export function sub(a: number, b: number): number {',
    suffix: '\n',
    openFiles: [{ path: 'src/add.ts', text: 'export function add(a: number, b: number): number {\n  return a + b;\n}\n' }],
    mode: 'auto',
  },
].map((line) => JSON.stringify(line));

async function* linesOf(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

(fixture ? describe : describe.skip)(`CLI complete with the real engine (${fixture?.name})`, function () {
  this.timeout(120_000);
  let engine: InProcessEngine;

  before(async () => {
    engine = await InProcessEngine.load(new NodeModelFiles(fixture!.dir), { threads: testThreads, wasmDir, dtype: fixture!.dtype, warmUp: false });
  });
  after(() => engine?.dispose());

  async function run(lines: readonly string[]): Promise<(CompletionRecord | ErrorRecord)[]> {
    const records: (CompletionRecord | ErrorRecord)[] = [];
    await runComplete(linesOf(lines), new CompletionPipeline(engine, () => TEST_OPTIONS), (record) => records.push(record));
    return records;
  }

  it('answers every line with the record fields, deterministically', async () => {
    const first = await run([...LINES, '{"id": 3}']);
    assert.deepEqual(
      first.map((record) => Object.keys(record).sort()),
      [['completion', 'generatedTokens', 'id', 'latencyMs', 'promptTokens'], ['completion', 'generatedTokens', 'id', 'latencyMs', 'promptTokens'], ['error', 'id']],
    );
    const served = first.slice(0, 2) as CompletionRecord[];
    assert.ok(served.every((record) => record.promptTokens > 0 && record.latencyMs >= 0 && !record.completion.includes('\n\n\n')));
    await engine.engine.resetCache();
    const second = (await run(LINES)) as CompletionRecord[];
    assert.deepEqual(second.map((record) => record.completion), served.map((record) => record.completion));
    assert.equal(path.basename(fixture!.dir), 'lgc-fixture');
  });

  it('serves bad input: lone surrogates, binary text, an empty document, the cursor at offset 0', async () => {
    const binary = Array.from({ length: 4000 }, (_, index) => String.fromCharCode(index % 256)).join('');
    const cases = [
      { prefix: 'const s = "\ud800', suffix: '\udc00";\n\udfff' },
      { prefix: binary, suffix: binary },
      { prefix: '', suffix: '' },
      { prefix: '', suffix: 'export const a = 1;\n' },
    ];
    const lines = cases.map((fields, id) => JSON.stringify({ id, path: 'x.ts', languageId: 'typescript', mode: 'auto', ...fields }));
    const records = await run(lines);
    assert.deepEqual(records.map((record) => ('error' in record ? record.error : 'ok')), ['ok', 'ok', 'ok', 'ok']);
  });
});
