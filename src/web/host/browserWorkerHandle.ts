import type { WorkerHandle } from '../../client/workerEngineClient';
import type { HostToWorkerMessage, WorkerToHostMessage } from '../../protocol/messages';
import type { BrowserWorker } from '../browserGlobals';

/**
 * A browser Worker seen through the interface the shared WorkerEngineClient drives (shaped after
 * node:worker_threads). A browser worker never reports an exit: it ends when terminated, or by
 * closing itself after `disposed`; an uncaught error in it counts as a crash.
 */
export class BrowserWorkerHandle implements WorkerHandle {
  constructor(private readonly worker: BrowserWorker) {}

  postMessage(message: HostToWorkerMessage): void {
    this.worker.postMessage(message);
  }

  on(event: 'message', listener: (message: WorkerToHostMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  on(event: 'message' | 'error' | 'exit', listener: ((message: WorkerToHostMessage) => void) | ((error: Error) => void) | ((code: number) => void)): void {
    if (event === 'message') {
      this.worker.addEventListener('message', (messageEvent) => (listener as (message: WorkerToHostMessage) => void)(messageEvent.data as WorkerToHostMessage));
    } else if (event === 'error') {
      this.worker.addEventListener('error', (errorEvent) => (listener as (error: Error) => void)(new Error(errorEvent.message ?? 'uncaught error in the worker')));
    }
  }

  async terminate(): Promise<number> {
    this.worker.terminate();
    return 0;
  }
}
