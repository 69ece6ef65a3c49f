/**
 * Entry point of the inference worker in the browser (bundled to dist/web/worker.js). The web
 * extension host starts it from a blob: URL (VS Code's web host can only start workers that way)
 * and sends the onnxruntime-web .wasm and the model files with the load request, so the worker
 * fetches nothing. The same WorkerService and engine as the desktop worker run here.
 */
import type { HostToWorkerMessage, WorkerToHostMessage } from '../../protocol/messages';
import { WorkerService } from '../../worker/workerService';
import { type BrowserGlobals, browserGlobals } from '../browserGlobals';
import { MemoryModelFiles } from './memoryModelFiles';
import { chooseExecutionProviders } from './webGpuBackend';

interface WorkerScope extends BrowserGlobals {
  postMessage(message: WorkerToHostMessage): void;
  addEventListener(type: 'message', listener: (event: { readonly data: HostToWorkerMessage }) => void): void;
  close(): void;
}

const scope = browserGlobals as WorkerScope;

const post = (message: WorkerToHostMessage): void => {
  scope.postMessage(message);
  if (message.type === 'disposed') {
    scope.close();
  }
};

const service = new WorkerService(post, {
  // WASM threads need crossOriginIsolated and a worker script URL for each thread; a worker
  // started from a blob: URL inside VS Code's web host has neither, so WASM runs on one thread.
  cores: 1,
  openModelFolder: (modelDir, config) => new MemoryModelFiles(modelDir, config.modelFiles ?? {}),
  executionProviders: (backend) => chooseExecutionProviders(backend, scope.navigator?.gpu),
});

scope.addEventListener('message', (event) => service.handle(event.data));
post({ type: 'ready' });
