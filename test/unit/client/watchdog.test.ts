import * as assert from 'node:assert/strict';
import { WorkerEngineClient, type WorkerEngineEvent, type WorkerHandle } from '../../../src/client/workerEngineClient';
import { EngineError } from '../../../src/engine/errors';
import type { EngineModelInfo } from '../../../src/engine/textGenerationEngine';
import type { HostToWorkerMessage, WorkerToHostMessage } from '../../../src/protocol/messages';

/**
 * The worker watchdog: a worker that loads and then never answers a request (hung in a kernel, an
 * endless loop) is restarted like a crashed one, and after the last allowed restart the client
 * says it is not restarting it, which the model service turns into "Reload the window".
 */
const INFO: EngineModelInfo = {
  id: 'hangs',
  modelType: 'llama',
  specialTokens: ['endOfText'],
  contextTokens: 256,
  onnxFile: 'model.onnx',
  weightBytes: 1,
  threads: 1,
  backend: 'wasm',
  loadMs: 1,
};

/** Loads at once, then swallows every request without a word. */
class HangingWorker implements WorkerHandle {
  private readonly listeners: { message: ((message: WorkerToHostMessage) => void)[]; exit: ((code: number) => void)[] } = { message: [], exit: [] };
  terminated = false;

  postMessage(message: HostToWorkerMessage): void {
    if (message.type === 'load') {
      setTimeout(() => this.listeners.message.forEach((listener) => listener({ type: 'loaded', requestId: message.requestId, info: INFO })), 1);
    }
  }

  on(event: 'message' | 'error' | 'exit', listener: (value: never) => void): void {
    if (event === 'message') this.listeners.message.push(listener as (message: WorkerToHostMessage) => void);
    if (event === 'exit') this.listeners.exit.push(listener as (code: number) => void);
  }

  async terminate(): Promise<number> {
    this.terminated = true;
    return 1;
  }
}

describe('worker watchdog', () => {
  it('restarts a worker that stops answering, and gives up after the last restart', async () => {
    const workers: HangingWorker[] = [];
    const events: WorkerEngineEvent[] = [];
    const client = new WorkerEngineClient({
      workerScript: 'unused.js',
      load: { modelDir: '/nowhere', wasmDir: '/nowhere', threads: 1 },
      hangTimeoutMs: 50,
      disposeTimeoutMs: 10,
      restartBackoff: { initialMs: 5, maxMs: 10, maxRestarts: 2 },
      onEvent: (event) => events.push(event),
      createWorker: () => {
        const worker = new HangingWorker();
        workers.push(worker);
        return worker;
      },
    });
    try {
      await client.info();
      const hung = await client.generate([{ kind: 'text', text: 'x' }], { maxNewTokens: 4, temperature: 0 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(hung instanceof EngineError && hung.code === 'worker-crashed', String(hung));
      assert.match((hung as Error).message, /stopped answering: no progress for 0 s/);
      assert.ok(workers[0].terminated, 'the hung worker was ended');
      for (let attempt = 0; attempt < 2; attempt++) {
        await client.info();
        await client.generate([{ kind: 'text', text: 'x' }], { maxNewTokens: 4, temperature: 0 }).catch(() => undefined);
      }
      const crashes = events.filter((event) => event.kind === 'crashed');
      assert.equal(crashes.length, 3);
      assert.equal(crashes.at(-1)?.kind === 'crashed' && crashes.at(-1)?.restartInMs, undefined, 'no restart after the last allowed one');
      await assert.rejects(client.info(), /not restarting it/);
    } finally {
      await client.dispose();
    }
  });

  it('leaves a worker alone that keeps sending progress', async () => {
    const client = new WorkerEngineClient({
      workerScript: 'unused.js',
      load: { modelDir: '/nowhere', wasmDir: '/nowhere', threads: 1 },
      hangTimeoutMs: 40,
      disposeTimeoutMs: 10,
      createWorker: () => {
        const worker = new HangingWorker();
        const post = worker.postMessage.bind(worker);
        // Streams a delta every 10 ms for 200 ms, then answers: slow, but never silent for 40 ms.
        worker.postMessage = (message) => {
          post(message);
          if (message.type !== 'generate') return;
          const emit = (event: WorkerToHostMessage) => (worker as unknown as { listeners: { message: ((m: WorkerToHostMessage) => void)[] } }).listeners.message.forEach((listener) => listener(event));
          let sent = 0;
          const timer = setInterval(() => {
            if (++sent < 20) return emit({ type: 'delta', requestId: message.requestId, text: 'a' });
            clearInterval(timer);
            emit({ type: 'generated', requestId: message.requestId, result: { text: 'a'.repeat(19), promptTokens: 1, generatedTokens: 19, reusedPromptTokens: 0, stopReason: 'max-tokens' } });
          }, 10);
        };
        return worker;
      },
    });
    try {
      await client.info();
      const result = await client.generate([{ kind: 'text', text: 'x' }], { maxNewTokens: 19, temperature: 0 });
      assert.equal(result.generatedTokens, 19);
    } finally {
      await client.dispose();
    }
  });
});
