import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerEngineClient, type WorkerEngineEvent } from '../client/workerEngineClient';
import type { CompletionEngine } from '../core/engine';
import type { Settings } from '../core/settings';
import type { EngineModelInfo, LoadProgress } from '../engine/textGenerationEngine';

/**
 * Owns the inference worker for the whole extension: finds the model folder from
 * `localGpt.model.path` (empty: the bundled default model), starts the worker client on
 * dist/worker.js, reports the load state, restarts it when an engine setting changes and ends it
 * on deactivate. The inline provider and the commands (issue 6) take their engine from here.
 */

/** The default model's folder, relative to the extension's root (shipped in the VSIX). */
export const BUNDLED_MODEL_DIR = path.join('models', 'lgc-small');

/** Settings whose change needs a new worker (another model, thread pool or backend). */
const ENGINE_SETTINGS = ['localGpt.model.path', 'localGpt.engine.threads', 'localGpt.engine.backend'];

export type ModelState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'loading'; readonly modelDir: string; readonly progress?: LoadProgress }
  | { readonly kind: 'ready'; readonly modelDir: string; readonly info: EngineModelInfo; readonly backend: EngineModelInfo['backend'] }
  /** `action` says what the user can do about it, for the status bar and notifications. */
  | { readonly kind: 'error'; readonly modelDir?: string; readonly message: string; readonly action: string };

/** The engine of the model now loaded or loading, and which load it belongs to. */
export interface ActiveEngine {
  /** Grows by one with each (re)start, so users of the engine can tell a new model from the old. */
  readonly generation: number;
  readonly modelDir: string;
  readonly engine: CompletionEngine;
}

export interface ModelServiceOptions {
  /** The extension's root folder: holds dist/ and the bundled models/. */
  readonly extensionPath: string;
  readonly settings: () => Settings;
}

export class ModelService implements vscode.Disposable {
  private readonly stateChanged = new vscode.EventEmitter<ModelState>();
  /** Fires on every load state change, progress included. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly engineChanged = new vscode.EventEmitter<ActiveEngine | undefined>();
  /** Fires when the engine is replaced (restart) or goes away (error, dispose). */
  readonly onDidChangeEngine = this.engineChanged.event;
  private currentState: ModelState = { kind: 'stopped' };
  private client: WorkerEngineClient | undefined;
  private active: ActiveEngine | undefined;
  private generation = 0;
  private readonly configListener: vscode.Disposable;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private restarting: Promise<void> = Promise.resolve();

  constructor(private readonly options: ModelServiceOptions) {
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (ENGINE_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        void this.restart();
      }
    });
  }

  get state(): ModelState {
    return this.currentState;
  }

  /** The engine to run requests on, or undefined while none could be started (see `state`). */
  get engine(): ActiveEngine | undefined {
    return this.active;
  }

  /** The model folder the settings point at: `localGpt.model.path`, or the bundled model. */
  modelDir(): string {
    const configured = this.options.settings().model.path;
    return configured.length > 0 ? path.resolve(configured) : path.join(this.options.extensionPath, BUNDLED_MODEL_DIR);
  }

  /**
   * Starts the worker on the configured model, replacing the one running; resolves once the new
   * worker is started (use whenReady() to wait for the load). Restarts run one after another.
   */
  restart(): Promise<void> {
    this.restarting = this.restarting
      .then(() => this.replaceWorker())
      .catch((error: unknown) =>
        this.setState({ kind: 'error', message: `The inference worker could not start: ${String(error)}.`, action: 'Reload the window.' }),
      );
    return this.restarting;
  }

  private async replaceWorker(): Promise<void> {
    await this.stop();
    if (this.disposed) {
      return;
    }
    const settings = this.options.settings();
    const modelDir = this.modelDir();
    const problem = modelFolderProblem(modelDir, settings.model.path.length === 0) ?? backendProblem(settings.engine.backend);
    if (problem) {
      this.setState({ kind: 'error', modelDir, ...problem });
      return;
    }
    const generation = ++this.generation;
    const dist = path.join(this.options.extensionPath, 'dist');
    this.setState({ kind: 'loading', modelDir });
    const client = new WorkerEngineClient({
      workerScript: path.join(dist, 'worker.js'),
      load: { modelDir, wasmDir: dist, threads: settings.engine.threads },
      newestWins: true,
      onEvent: (event) => {
        if (this.client === client) {
          this.onEngineEvent(modelDir, event);
        }
      },
    });
    this.client = client;
    this.active = { generation, modelDir, engine: client };
    this.engineChanged.fire(this.active);
  }

  /** Resolves with the loaded model's description; rejects with the load error. */
  async whenReady(): Promise<EngineModelInfo> {
    await this.restarting;
    if (!this.client) {
      const state = this.currentState;
      throw new Error(state.kind === 'error' ? `${state.message} ${state.action}` : 'The model is not loaded.');
    }
    return this.client.modelInfo();
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
          action: 'Fix the named file, or choose another model folder in the setting localGpt.model.path.',
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

  private setState(state: ModelState): void {
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

  /** Ends the worker; every call waits for the same shutdown. */
  dispose(): Promise<void> {
    this.disposing ??= this.shutDown();
    return this.disposing;
  }

  private async shutDown(): Promise<void> {
    this.disposed = true;
    this.configListener.dispose();
    await this.stop();
    this.stateChanged.dispose();
    this.engineChanged.dispose();
  }
}

/** Why a folder cannot hold a model, checked before a worker is started for it. */
function modelFolderProblem(modelDir: string, bundled: boolean): { message: string; action: string } | undefined {
  if (fs.existsSync(path.join(modelDir, 'config.json'))) {
    return undefined;
  }
  if (bundled) {
    return {
      message: `The bundled model is missing: ${modelDir} has no config.json.`,
      action: 'Reinstall the extension, or set localGpt.model.path to a model folder.',
    };
  }
  return {
    message: `No model in ${modelDir}: config.json is missing.`,
    action: 'Set localGpt.model.path to a folder with config.json, tokenizer.json and onnx/model*.onnx, or clear it to use the bundled model.',
  };
}

/** The Node extension host has no WebGPU; only a forced "webgpu" cannot be honoured. */
function backendProblem(backend: Settings['engine']['backend']): { message: string; action: string } | undefined {
  return backend === 'webgpu'
    ? { message: 'WebGPU is not available to the extension host.', action: 'Set localGpt.engine.backend to "auto" or "wasm".' }
    : undefined;
}
