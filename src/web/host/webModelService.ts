import * as vscode from 'vscode';
import { WorkerEngineClient, type WorkerEngineEvent } from '../../client/workerEngineClient';
import type { CompletionEngine } from '../../core/engine';
import type { Settings } from '../../core/settings';
import type { EngineModelInfo, LoadProgress } from '../../engine/textGenerationEngine';
import type { BackendSetting } from '../../protocol/messages';
import { browserGlobals } from '../browserGlobals';
import { chooseExecutionProviders } from '../webGpuBackend';
import { BrowserWorkerHandle } from './browserWorkerHandle';
import { modelFolderSegments, readModelSnapshot } from './modelSnapshot';

/**
 * The model service of the browser build, with the desktop ModelService's surface (state, engine,
 * restart, whenReady): the status bar, commands and completion pipeline use it the same way.
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

export type WebModelState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'loading'; readonly modelDir: string; readonly progress?: LoadProgress }
  | { readonly kind: 'ready'; readonly modelDir: string; readonly info: EngineModelInfo; readonly backend: EngineModelInfo['backend'] }
  | { readonly kind: 'error'; readonly modelDir?: string; readonly message: string; readonly action: string };

export interface ActiveWebEngine {
  readonly generation: number;
  readonly modelDir: string;
  readonly engine: CompletionEngine;
}

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

export class WebModelService implements vscode.Disposable {
  private readonly stateChanged = new vscode.EventEmitter<WebModelState>();
  readonly onDidChangeState = this.stateChanged.event;
  private readonly engineChanged = new vscode.EventEmitter<ActiveWebEngine | undefined>();
  readonly onDidChangeEngine = this.engineChanged.event;
  private currentState: WebModelState = { kind: 'stopped' };
  private client: WorkerEngineClient | undefined;
  private active: ActiveWebEngine | undefined;
  private generation = 0;
  private readonly runtimes = new Map<WorkerBuild, Promise<WorkerRuntime>>();
  private readonly configListener: vscode.Disposable;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: () => Settings,
  ) {
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (ENGINE_SETTINGS.some((setting) => event.affectsConfiguration(setting))) void this.restart();
    });
  }

  get state(): WebModelState {
    return this.currentState;
  }

  get engine(): ActiveWebEngine | undefined {
    return this.active;
  }

  restart(): Promise<void> {
    this.restarting = this.restarting
      .then(() => this.replaceWorker())
      .catch((error: unknown) =>
        this.setState({ kind: 'error', message: `The inference worker could not start: ${String(error)}.`, action: 'Reload the window.' }),
      );
    return this.restarting;
  }

  async whenReady(): Promise<EngineModelInfo> {
    await this.restarting;
    if (!this.client) {
      const state = this.currentState;
      throw new Error(state.kind === 'error' ? `${state.message} ${state.action}` : 'The model is not loaded.');
    }
    return this.client.modelInfo();
  }

  private async replaceWorker(): Promise<void> {
    await this.stop();
    if (this.disposed) return;
    const settings = this.settings();
    const folder = modelFolderSegments(settings.model.path);
    if ('problem' in folder) {
      this.setState({ kind: 'error', message: folder.problem, action: 'Clear localGpt.model.path to use the bundled model.' });
      return;
    }
    const modelDir = this.modelUri(folder.segments).toString(true);
    this.setState({ kind: 'loading', modelDir });
    let client: WorkerEngineClient;
    try {
      client = await this.startEngine(folder.segments, settings.engine.backend, (event) => this.client === client && this.onEngineEvent(modelDir, event));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.setState({ kind: 'error', modelDir, message: `Could not load the model in ${modelDir}: ${reason}.`, action: 'Reinstall the extension.' });
      return;
    }
    if (this.disposed) {
      await client.dispose();
      return;
    }
    const generation = ++this.generation;
    this.client = client;
    this.active = { generation, modelDir, engine: client };
    this.engineChanged.fire(this.active);
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

  private onEngineEvent(modelDir: string, event: WorkerEngineEvent): void {
    switch (event.kind) {
      case 'loadProgress':
        this.setState({ kind: 'loading', modelDir, progress: event.progress });
        break;
      case 'loaded':
        this.setState({ kind: 'ready', modelDir, info: event.info, backend: event.info.backend });
        break;
      case 'loadFailed':
        this.setState({
          kind: 'error',
          modelDir,
          message: `Could not load the model in ${modelDir}: ${event.error.message}.`,
          action: 'Set localGpt.engine.backend to "auto" or "wasm", or clear localGpt.model.path.',
        });
        break;
      case 'crashed':
        this.setState(
          event.restartInMs === undefined
            ? { kind: 'error', modelDir, message: `${event.error.message}.`, action: 'Reload the window to start it again.' }
            : { kind: 'loading', modelDir },
        );
        break;
    }
  }

  private setState(state: WebModelState): void {
    this.currentState = state;
    this.stateChanged.fire(state);
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.active) {
      this.active = undefined;
      this.engineChanged.fire(undefined);
    }
    if (client) {
      this.setState({ kind: 'stopped' });
      await client.dispose();
    }
  }

  dispose(): Promise<void> {
    this.disposing ??= this.shutDown();
    return this.disposing;
  }

  private async shutDown(): Promise<void> {
    this.disposed = true;
    this.configListener.dispose();
    await this.stop();
    for (const runtime of this.runtimes.values()) {
      const loaded = await runtime.catch(() => undefined);
      if (loaded) URL.revokeObjectURL(loaded.workerUrl);
    }
    this.stateChanged.dispose();
    this.engineChanged.dispose();
  }
}

function browserWorker(): NonNullable<typeof browserGlobals.Worker> {
  if (!browserGlobals.Worker) {
    throw new Error('This browser cannot start a Web Worker from the extension host');
  }
  return browserGlobals.Worker;
}
