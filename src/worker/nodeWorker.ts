/**
 * Placeholder entry of the inference worker (worker_threads), so that the build and the VSIX
 * already have their final shape. The inference engine replaces this file; until then the worker
 * only announces that it started and that it has no engine.
 */
import { parentPort } from 'node:worker_threads';

if (!parentPort) {
  throw new Error('dist/worker.js must be started as a worker_threads Worker, not run directly.');
}

parentPort.postMessage({ type: 'ready', engine: null });
