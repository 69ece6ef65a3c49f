/**
 * Entry point of the inference worker in the browser, built twice: dist/web/worker.js on
 * onnxruntime-web's WebGPU build and dist/web/worker-wasm.js on its plain WASM build, whose WASM
 * provider runs 2-3x faster than the WebGPU build's asyncify one (docs/webgpu.md, "bench:web"). The web
 * extension host starts one from a blob: URL (VS Code's web host can only start workers that way)
 * and sends the matching .wasm and the model files with the load request, so the worker fetches
 * nothing. The same WorkerService and engine as the desktop worker run here.
 */
import type { HostToWorkerMessage, WorkerToHostMessage } from '../../protocol/messages';
import { WorkerService } from '../../worker/workerService';
import { type BrowserGlobals, browserGlobals } from '../browserGlobals';
import { MemoryModelFiles } from './memoryModelFiles';
import { type BackendChoice, chooseExecutionProviders } from '../webGpuBackend';

/** Set by esbuild.js: which onnxruntime-web build this bundle holds. */
declare const LOCAL_GPT_WEB_WORKER_BUILD: 'webgpu' | 'wasm';

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
  executionProviders: async (backend) => wasmOnlyUnlessWebGpuBuild(await chooseExecutionProviders(backend, scope.navigator?.gpu)),
});

/** The WASM build has no WebGPU provider: it keeps WASM (the host only starts it without an adapter). */
function wasmOnlyUnlessWebGpuBuild(choice: BackendChoice): BackendChoice {
  if (LOCAL_GPT_WEB_WORKER_BUILD === 'webgpu' || !choice.providers.includes('webgpu')) return choice;
  return { providers: ['wasm'], detail: 'WASM: the WASM-only worker was started' };
}

scope.addEventListener('message', (event) => service.handle(event.data));
post({ type: 'ready' });
