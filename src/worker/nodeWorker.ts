/**
 * Entry point of the inference worker on the desktop (bundled to dist/worker.js, started by the
 * host with worker_threads). onnxruntime-web loads its WASM runtime from the folder the host names
 * in `load` (the extension's dist/), never from the network.
 */
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { NodeModelFiles } from '../engine/nodeModelFiles';
import type { HostToWorkerMessage, WorkerToHostMessage } from '../protocol/messages';
import { WorkerService } from './workerService';

if (!parentPort) {
  throw new Error('dist/worker.js must be started as a worker_threads Worker, not run directly.');
}
const port = parentPort;

const post = (message: WorkerToHostMessage): void => {
  port.postMessage(message);
  if (message.type === 'disposed') {
    // Nothing more to do: stop listening so the thread can end (the host also terminates it).
    port.close();
  }
};
const service = new WorkerService(post, {
  cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
  openModelFolder: (modelDir) => new NodeModelFiles(modelDir),
});

port.on('message', (message: HostToWorkerMessage) => service.handle(message));
post({ type: 'ready' });
