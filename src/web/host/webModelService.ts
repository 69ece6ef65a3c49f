import * as vscode from 'vscode';
import { WorkerEngineClient, type WorkerEngineEvent } from '../../client/workerEngineClient';
import type { Settings } from '../../core/settings';
import type { BackendSetting } from '../../protocol/messages';
import { type NextWorker, WorkerModelService } from '../../vscode/workerModelService';
import { browserGlobals } from '../browserGlobals';
import { chooseExecutionProviders } from '../webGpuBackend';
import { BrowserWorkerHandle } from './browserWorkerHandle';
import { modelFolderSegments, readModelSnapshot } from './modelSnapshot';

/**
 * The model service of the browser build: the desktop ModelService's base (WorkerModelService)
 * with a browser Web Worker, so the status bar, commands and completion pipeline use it the same way.
 * Everything it loads comes from the extension's own URI: the worker script, the onnxruntime-web
 * .wasm and the model folder are fetched by this extension host and handed to the worker.
 */

/** Settings whose change needs a new worker (another model or backend). */
const ENGINE_SETTINGS = ['localGpt.model.path', 'localGpt.engine.backend'];
/** The two worker builds (src/web/worker/webWorker.ts) and the onnxruntime-web .wasm each loads. */
const WORKER_BUILDS = {
  webgpu: { script: ['dist', 'web', 'worker.js'], wasm: ['dist', 'web', 'ort-wasm-simd-threaded.asyncify.wasm'] },
  // The desktop worker's runtime file: the same .wasm, shipped once.
  wasm: { script: ['dist', 'web', 'worker-wasm.js'], wasm: ['dist', 'ort-wasm-simd-threaded.wasm'] },
} as const;
type WorkerBuild = keyof typeof WORKER_BUILDS;

interface WorkerRuntime {
  /** blob: URL of dist/web/worker.js (VS Code's web host cannot start a worker from its own URIs). */
  readonly workerUrl: string;
  readonly wasmBinary: Uint8Array;
}

/** Reads a file of the extension; undefined when the server answers 404. */
export async function readExtensionFile(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  // The web extension host's fetch maps the extension's vscode-remote:// URIs to the server's
  // resource URLs; on vscode.dev extension URIs are https: already.
  const response = await fetch(uri.toString(true));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${uri.toString(true)}`);
  return new Uint8Array(await response.arrayBuffer());
}

export class WebModelService extends WorkerModelService {
  private readonly runtimes = new Map<WorkerBuild, Promise<WorkerRuntime>>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: () => Settings,
  ) {
    super(ENGINE_SETTINGS, 'Set localGpt.engine.backend to "auto" or "wasm", or clear localGpt.model.path.');
  }

  protected idleUnloadMinutes(): number {
    return this.settings().engine.idleUnloadMinutes;
  }

  protected nextWorker(): NextWorker {
    const settings = this.settings();
    const folder = modelFolderSegments(settings.model.path);
    if ('problem' in folder) {
      return { problem: { message: folder.problem, action: 'Clear localGpt.model.path to use the bundled model.' } };
    }
    return {
      modelDir: this.modelUri(folder.segments).toString(true),
      start: (onEvent) => this.startEngine(folder.segments, settings.engine.backend, onEvent),
      startFailedAction: 'Reinstall the extension.',
    };
  }

  private modelUri(segments: readonly string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, ...segments);
  }

  /**
   * A new worker with the model of the folder `segments` (inside the extension) on `backend`;
   * the service runs one, tests start more to compare backends. The caller disposes it.
   */
  async startEngine(segments: readonly string[], backend: BackendSetting, onEvent?: (event: WorkerEngineEvent) => void): Promise<WorkerEngineClient> {
    const modelUri = this.modelUri(segments);
    const modelDir = modelUri.toString(true);
    // The worker decides and reports the backend; asking here picks the build to start.
    const choice = await chooseExecutionProviders(backend, browserGlobals.navigator?.gpu).catch(() => undefined);
    const [snapshot, runtime] = await Promise.all([
      readModelSnapshot(modelDir, (relativePath) => readExtensionFile(vscode.Uri.joinPath(modelUri, ...relativePath.split('/')))),
      this.workerRuntime(choice?.providers[0] === 'webgpu' ? 'webgpu' : 'wasm'),
    ]);
    return new WorkerEngineClient({
      workerScript: runtime.workerUrl,
      // One WASM thread: see src/web/worker/webWorker.ts.
      load: { modelDir, modelFiles: snapshot.files, wasmBinary: runtime.wasmBinary, backend, threads: 1 },
      newestWins: true,
      createWorker: (url) => new BrowserWorkerHandle(new (browserWorker())(url, { name: 'local-gpt-inference' })),
      onEvent,
    });
  }

  /** Read once per build: a restart (another backend, a crash) reuses the script and the .wasm. */
  private workerRuntime(build: WorkerBuild): Promise<WorkerRuntime> {
    const known = this.runtimes.get(build);
    if (known) return known;
    const runtime = (async () => {
      const [script, wasmBinary] = await Promise.all(
        [WORKER_BUILDS[build].script, WORKER_BUILDS[build].wasm].map(async (segments) => {
          const uri = vscode.Uri.joinPath(this.extensionUri, ...segments);
          const bytes = await readExtensionFile(uri);
          if (!bytes) throw new Error(`${uri.toString(true)} is missing from the extension`);
          return bytes;
        }),
      );
      const workerUrl = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
      return { workerUrl, wasmBinary };
    })();
    this.runtimes.set(build, runtime);
    runtime.catch(() => this.runtimes.delete(build));
    return runtime;
  }

  protected override async releaseResources(): Promise<void> {
    for (const runtime of this.runtimes.values()) {
      const loaded = await runtime.catch(() => undefined);
      if (loaded) URL.revokeObjectURL(loaded.workerUrl);
    }
  }
}

function browserWorker(): NonNullable<typeof browserGlobals.Worker> {
  if (!browserGlobals.Worker) {
    throw new Error('This browser cannot start a Web Worker from the extension host');
  }
  return browserGlobals.Worker;
}
