/**
 * The host-side client over the real worker bundle (dist/worker.js, built by `npm run build`):
 * results equal the in-process engine, cancel and newest-wins work across the thread boundary,
 * a crashed worker gives a typed error and comes back, bad models fail cleanly, and dispose
 * leaves no thread behind.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerEngineClient, type WorkerEngineEvent, type WorkerHandle } from '../../../src/client/workerEngineClient';
import type { PromptPart } from '../../../src/core/engine';
import { EngineError } from '../../../src/engine/errors';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { primaryModel, repoRoot, testThreads, wasmDir } from '../engine/testModels';

const distDir = process.env.LGC_WORKER_DIST ?? path.join(repoRoot, 'dist');
const model = primaryModel();
const text = (value: string): PromptPart[] => [{ kind: 'text', text: value }];
const PROMPT = 'export function sum(values) {\n  let total = 0;\n';

interface Harness {
  readonly client: WorkerEngineClient;
  readonly events: WorkerEngineEvent[];
  readonly workers: Worker[];
  readonly exits: number[];
}

function startClient(options: { modelDir?: string; newestWins?: boolean } = {}): Harness {
  const events: WorkerEngineEvent[] = [];
  const workers: Worker[] = [];
  const exits: number[] = [];
  const client = new WorkerEngineClient({
    workerScript: path.join(distDir, 'worker.js'),
    load: { modelDir: options.modelDir ?? model!.dir, wasmDir: distDir, threads: testThreads, dtype: model!.dtype },
    newestWins: options.newestWins,
    onEvent: (event) => events.push(event),
    restartBackoff: { initialMs: 20, maxMs: 100, maxRestarts: 3 },
    createWorker: (script) => {
      const worker = new Worker(script);
      worker.on('exit', (code) => exits.push(code));
      workers.push(worker);
      return worker as unknown as WorkerHandle;
    },
  });
  return { client, events, workers, exits };
}

(model ? describe : describe.skip)(`worker engine client (${model?.name})`, function () {
  this.timeout(120_000);
  let harness: Harness;
  let reference: InProcessEngine;

  before(async () => {
    harness = startClient();
    reference = await InProcessEngine.load(new NodeModelFiles(model!.dir), { threads: testThreads, wasmDir, dtype: model!.dtype, warmUp: false });
  });
  after(async () => {
    await harness?.client.dispose();
    await reference?.dispose();
  });

  it('loads the model with progress events and describes it', async () => {
    const info = await harness.client.info();
    assert.equal(info.id, path.basename(model!.dir));
    assert.ok(info.specialTokens.has('endOfText'));
    const stages = harness.events.filter((event) => event.kind === 'loadProgress').map((event) => event.kind === 'loadProgress' && event.progress.stage);
    assert.deepEqual([...new Set(stages)], ['reading-files', 'creating-session', 'warming-up', 'ready']);
    assert.ok(harness.events.some((event) => event.kind === 'loaded'));
  });

  it('counts tokens and generates exactly what the in-process engine generates, streamed', async () => {
    assert.equal(await harness.client.countTokens(PROMPT), await reference.countTokens(PROMPT));
    const deltas: string[] = [];
    const result = await harness.client.generate(text(PROMPT), { maxNewTokens: 24, temperature: 0 }, (delta) => deltas.push(delta));
    const expected = await reference.generate(text(PROMPT), { maxNewTokens: 24, temperature: 0 });
    assert.equal(result.text, expected.text);
    assert.equal(deltas.join(''), result.text);
    assert.ok(deltas.length > 1);
    const seeded = { maxNewTokens: 24, temperature: 0.9, topK: 50, topP: 0.95, seed: 42 };
    assert.equal((await harness.client.generate(text(PROMPT), seeded)).text, (await reference.generate(text(PROMPT), seeded)).text);
  });

  it('reuses the KV cache across requests and after a prefill', async () => {
    await harness.client.prefill(text(PROMPT + '  for'));
    const result = await harness.client.generate(text(PROMPT + '  for (const'), { maxNewTokens: 4, temperature: 0 });
    assert.ok(result.reusedPromptTokens > 0);
  });

  it('cancels through an AbortSignal within one step', async () => {
    const controller = new AbortController();
    let afterAbort = 0;
    let count = 0;
    let abortedAt = 0;
    const result = await harness.client.generate(text(PROMPT), { maxNewTokens: 400, temperature: 1, seed: 5, signal: controller.signal }, () => {
      count++;
      if (count === 2) {
        abortedAt = Date.now();
        controller.abort();
      }
      if (count > 2) afterAbort++;
    });
    assert.equal(result.stopReason, 'cancelled');
    assert.equal(afterAbort, 0, 'deltas still in flight after the abort are dropped');
    assert.ok(result.generatedTokens < 400);
    assert.ok(Date.now() - abortedAt < 1000, `cancel took ${Date.now() - abortedAt} ms`);

    const early = new AbortController();
    const racing = harness.client.generate(text(PROMPT), { maxNewTokens: 400, temperature: 1, seed: 5, signal: early.signal });
    early.abort(); // before the request reached the worker
    assert.equal((await racing).stopReason, 'cancelled');
  });

  it('cancels the older request in newest-wins mode', async () => {
    const newest = startClient({ newestWins: true });
    try {
      await newest.client.info();
      // Sent back to back: the older one could otherwise end by EOS before the newer one comes.
      const older = newest.client.generate(text(PROMPT), { maxNewTokens: 300, temperature: 1, seed: 1 });
      const newer = newest.client.generate(text(PROMPT + '  return'), { maxNewTokens: 4, temperature: 0 });
      const [olderResult, newerResult] = await Promise.all([older, newer]);
      assert.equal(olderResult.stopReason, 'cancelled');
      assert.notEqual(newerResult.stopReason, 'cancelled');
    } finally {
      await newest.client.dispose();
    }
  });

  it('skips a prefill that comes while a generation is in flight, in newest-wins mode', async () => {
    const newest = startClient({ newestWins: true });
    try {
      await newest.client.info();
      const generation = newest.client.generate(text(PROMPT), { maxNewTokens: 300, temperature: 1, seed: 1 });
      await newest.client.prefill(text(PROMPT + '  return'));
      assert.notEqual((await generation).stopReason, 'cancelled');
      // With nothing in flight, a prefill runs: the same prompt then reruns only its last token.
      await newest.client.prefill(text(PROMPT + '  for'));
      const after = await newest.client.generate(text(PROMPT + '  for'), { maxNewTokens: 2, temperature: 0 });
      assert.equal(after.reusedPromptTokens, after.promptTokens - 1);
    } finally {
      await newest.client.dispose();
    }
  });

  it('turns a crashed worker into a typed error and restarts it', async () => {
    const crashing = startClient();
    try {
      await crashing.client.info();
      // The thread dies while the request is in flight (a generation can end by EOS at any
      // moment, so the crash comes right after the request is sent rather than at some delay).
      const pending = crashing.client.generate(text(PROMPT), { maxNewTokens: 500, temperature: 1, seed: 2 }, () => {});
      await crashing.workers[0].terminate();
      await assert.rejects(pending, (error: EngineError) => error instanceof EngineError && error.code === 'worker-crashed');
      assert.ok(crashing.events.some((event) => event.kind === 'crashed' && event.restartInMs === 20));
      const after = await crashing.client.generate(text(PROMPT), { maxNewTokens: 4, temperature: 0 });
      assert.ok(after.generatedTokens > 0 || after.stopReason === 'eos');
      assert.equal(crashing.workers.length, 2);
    } finally {
      await crashing.client.dispose();
    }
    assert.equal(crashing.exits.length, 2, 'both threads ended');
  });

  it('reports a bad model folder as a typed error and keeps the host running', async () => {
    const broken = startClient({ modelDir: path.join(repoRoot, 'no-such-model') });
    try {
      await assert.rejects(broken.client.info(), (error: EngineError) => error.code === 'missing-file' && /config\.json/.test(error.message));
      await assert.rejects(broken.client.countTokens('x'), (error: EngineError) => error.code === 'missing-file');
      assert.ok(broken.events.some((event) => event.kind === 'loadFailed'));
    } finally {
      await broken.client.dispose();
    }
  });

  it('disposes cleanly: the thread ends and later requests fail as disposed', async () => {
    const portsBefore = process.getActiveResourcesInfo().filter((resource) => resource === 'MessagePort').length;
    const disposable = startClient();
    await disposable.client.info();
    const inFlight = disposable.client.generate(text(PROMPT), { maxNewTokens: 500, temperature: 1, seed: 3 }).then(
      () => undefined,
      (error: EngineError) => error,
    );
    await disposable.client.dispose();
    assert.equal((await inFlight)?.code, 'disposed');
    await assert.rejects(disposable.client.countTokens('x'), { code: 'disposed' });
    assert.deepEqual(disposable.exits.length, 1);
    assert.equal(disposable.workers[0].threadId, -1, 'the worker thread has ended');
    const portsAfter = process.getActiveResourcesInfo().filter((resource) => resource === 'MessagePort').length;
    assert.equal(portsAfter, portsBefore, 'no message port left open');
  });
});
