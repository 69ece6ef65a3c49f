import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkerEngineClient } from '../../../src/client/workerEngineClient';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TEST_OPTIONS } from '../core/requests';
import { projectModels, repoRoot, testThreads, wasmDir } from '../engine/testModels';

/**
 * The extension's path: the pipeline over the worker client and the real worker bundle
 * (dist/worker.js, built by `npm run build`) blends the n-gram cache exactly as the in-process
 * engine of the CLI does, so both complete the same name from another open file alike.
 */
const distDir = process.env.LGC_WORKER_DIST ?? path.join(repoRoot, 'dist');
const fixture = projectModels().find((model) => model.name.startsWith('lgc-fixture'));
const runnable = fixture !== undefined && fs.existsSync(path.join(distDir, 'worker.js'));

const REQUEST: CompletionRequest = {
  path: 'src/report.ts',
  languageId: 'typescript',
  prefix: 'export function report(rows: string[]): string {\n  return summarizeWeekl',
  suffix: '\n}\n',
  openFiles: [{ path: 'src/summary.ts', text: 'export function summarizeWeeklyTotals(rows: string[]): string {\n  return rows.join(", ");\n}\n' }],
  mode: 'line',
};

(runnable ? describe : describe.skip)(`n-gram cache through the worker (${fixture?.name})`, function () {
  this.timeout(120_000);
  let client: WorkerEngineClient;
  let inProcess: InProcessEngine;

  before(async () => {
    client = new WorkerEngineClient({
      workerScript: path.join(distDir, 'worker.js'),
      load: { modelDir: fixture!.dir, wasmDir: distDir, threads: testThreads, dtype: fixture!.dtype, warmUp: false },
    });
    inProcess = await InProcessEngine.load(new NodeModelFiles(fixture!.dir), { threads: testThreads, wasmDir, dtype: fixture!.dtype, warmUp: false });
  });
  after(async () => {
    await client?.dispose();
    await inProcess?.dispose();
  });

  async function complete(engine: WorkerEngineClient | InProcessEngine, useNgramCache: boolean): Promise<string> {
    const options = { ...TEST_OPTIONS, fewShot: false, useNgramCache };
    return (await new CompletionPipeline(engine, () => options).complete(REQUEST))?.completion ?? '';
  }

  it('completes the same as the in-process engine, with the cache and without', async () => {
    const viaWorker = await complete(client, true);
    assert.ok(viaWorker.startsWith('yTotals('), JSON.stringify(viaWorker));
    assert.equal(viaWorker, await complete(inProcess, true));
    assert.equal(await complete(client, false), await complete(inProcess, false));
  });
});
