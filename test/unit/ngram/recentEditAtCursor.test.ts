import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TEST_OPTIONS } from '../core/requests';
import { projectModels, repoRoot, testThreads, wasmDir } from '../engine/testModels';

/**
 * Regression: with the shipped defaults (few-shot snippets and n-gram cache on) the demo showed no
 * ghost text while typing `return item` in todo.js. The editor lists the range being typed in as a
 * recent edit, with the lines after the cursor; the n-gram cache learned from it that
 * `return item` ends the line and the model, blended with it, wrote only a newline. A recent edit
 * of the current file adds nothing the prefix and suffix do not hold, so the answer must be the
 * same with and without it, through the real engine, for every project model.
 */
const demo = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'demo-workspace', 'src', 'todo.js'), 'utf8');
const typed = '\nfunction isDone(item) {\n  return item';
const afterCursor = '\n}\n';
const editRange = `${demo.split('\n').slice(-4).join('\n')}${typed}${afterCursor}`;

function request(recentEdits: CompletionRequest['recentEdits']): CompletionRequest {
  return { path: 'src/todo.js', languageId: 'javascript', prefix: demo + typed, suffix: afterCursor, openFiles: [], recentEdits, mode: 'auto' };
}

for (const model of projectModels().filter((candidate) => candidate.dtype === 'q8')) {
  describe(`a recent edit at the cursor (${model.name})`, function () {
    this.timeout(120_000);
    let engine: InProcessEngine;

    before(async () => {
      engine = await InProcessEngine.load(new NodeModelFiles(model.dir), { threads: testThreads, wasmDir, dtype: model.dtype, warmUp: false });
    });
    after(() => engine?.dispose());

    async function complete(recentEdits: CompletionRequest['recentEdits']): Promise<string | undefined> {
      // A pipeline each, so that neither answer comes from the other's completion cache.
      const result = await new CompletionPipeline(engine, () => TEST_OPTIONS).complete(request(recentEdits));
      return result?.completion;
    }

    it('changes nothing: the n-gram cache does not learn where the typed text ends', async () => {
      const without = await complete([]);
      const withEdit = await complete([{ path: 'src/todo.js', text: editRange }]);
      assert.equal(withEdit, without);
    });
  });
}
