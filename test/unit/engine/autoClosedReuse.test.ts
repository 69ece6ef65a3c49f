import * as assert from 'node:assert/strict';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TEST_OPTIONS } from '../core/requests';
import { projectModels, testThreads, wasmDir } from './testModels';

/**
 * The KV cache survives an auto-closed bracket: typing `(` makes the editor insert `)` after the
 * cursor, which used to change the head of the (suffix-first) prompt and cost a cold prefill at
 * the next pause (bench:ui: p50 488 ms for such suggestions against 298 ms). The prompt now leaves
 * out a rest of line that is only auto-inserted text, so almost every token is reused.
 */
const model = projectModels().find((candidate) => candidate.name.startsWith('lgc-fixture'));
const BEFORE = 'export function total(points: number[]): number {\n  let sum = 0;\n  for (let i = 0; i < points.length; i++) {\n    sum += points[i];\n  }\n';
const AFTER = '\n  return sum;\n}\n';

function request(prefixEnd: string, restOfLine: string): CompletionRequest {
  return { path: 'src/total.ts', languageId: 'typescript', prefix: BEFORE + prefixEnd, suffix: restOfLine + AFTER, openFiles: [], mode: 'auto' };
}

(model ? describe : describe.skip)(`KV cache across an auto-closed bracket (${model?.name})`, function () {
  this.timeout(120_000);
  let engine: InProcessEngine;

  before(async () => {
    engine = await InProcessEngine.load(new NodeModelFiles(model!.dir), { threads: testThreads, wasmDir, dtype: model!.dtype, warmUp: false });
  });
  after(() => engine?.dispose());

  it('reuses the prompt after `(` brought a `)` after the cursor', async () => {
    const pipeline = new CompletionPipeline(engine, () => ({ ...TEST_OPTIONS, useNgramCache: false, fewShot: false }));
    await pipeline.complete(request('  if ', ''));
    const result = await pipeline.complete(request('  if (', ')'));
    assert.ok(result && result.promptTokens > 20);
    assert.ok(result.reusedPromptTokens >= result.promptTokens - 4, `reused ${result.reusedPromptTokens} of ${result.promptTokens} prompt tokens`);
  });
});
