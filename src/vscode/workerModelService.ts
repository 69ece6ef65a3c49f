import * as vscode from 'vscode';
import type { WorkerEngineClient, WorkerEngineEvent } from '../client/workerEngineClient';
import type { CompletionEngine } from '../core/engine';
import type { EngineModelInfo, LoadProgress } from '../engine/textGenerationEngine';

/**
 * The part of the model service that the desktop (src/vscode/modelService.ts, a Node worker
 * thread) and the browser build (src/web/host/webModelService.ts, a Web Worker) share: the load
 * state, the active engine and its events, serialized restarts and shutdown. Subclasses say which
 * worker to start. The web extension bundles this file, so it imports no Node built-ins.
 */

export type ModelState =
  | { readonly kind: 'stopped' }
  /** Unloaded after `minutes` without a request, to free its memory; the next request loads it again. */
  | { readonly kind: 'idle'; readonly modelDir: string; readonly minutes: number }
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

/** Why no worker can start for the current settings. */
export interface ModelProblem {
  readonly modelDir?: string;
  readonly message: string;
  readonly action: string;
}

/** The worker that the current settings ask for. */
export interface WorkerLaunch {
  readonly modelDir: string;
  start(onEvent: (event: WorkerEngineEvent) => void): WorkerEngineClient | Promise<WorkerEngineClient>;
  /**
   * When set, a failing start() means the model's files could not be read, and the state says so
   * with this action; otherwise the worker itself could not start, which restart() reports.
   */
  readonly startFailedAction?: string;
}

/** The worker to start for the current settings, or why none can start. */
export type NextWorker = WorkerLaunch | { readonly problem: ModelProblem };

export abstract class WorkerModelService implements vscode.Disposable {
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
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param engineSettings settings whose change needs a new worker
   * @param loadFailedAction what the user can do when the worker cannot load the model
   */
  protected constructor(
    engineSettings: readonly string[],
    private readonly loadFailedAction: string,
  ) {
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (engineSettings.some((setting) => event.affectsConfiguration(setting))) {
        void this.restart();
      }
    });
  }

  protected abstract nextWorker(): NextWorker;

  /** Minutes without a request after which the worker is ended (0: never); read at each request. */
  protected abstract idleUnloadMinutes(): number;

  /**
   * A request is about to use the model: an unloaded model starts loading again (the request
   * itself finds no model ready), and the idle countdown starts over. Each VS Code window has its
   * own extension host and worker; unloading idle ones keeps one model's memory, not one a window.
   */
  noteActivity(): void {
    if (this.disposed) {
      return;
    }
    if (this.currentState.kind === 'idle') {
      void this.restart();
    }
    this.startIdleCountdown();
  }

  /** From now, unload after the configured minutes unless a request comes first. */
  private startIdleCountdown(): void {
    clearTimeout(this.idleTimer);
    const minutes = this.idleUnloadMinutes();
    if (minutes > 0) {
      this.idleTimer = setTimeout(() => void this.unloadIdle(minutes), minutes * 60_000);
    }
  }

  private async unloadIdle(minutes: number): Promise<void> {
    await this.restarting;
    const state = this.currentState;
    if (this.disposed || state.kind !== 'ready') {
      return;
    }
    await this.stop();
    this.setState({ kind: 'idle', modelDir: state.modelDir, minutes });
  }

  /** Frees what the subclass keeps across restarts; runs once, after the last worker has ended. */
  protected async releaseResources(): Promise<void> {}

  get state(): ModelState {
    return this.currentState;
  }

  /** The engine to run requests on, or undefined while none could be started (see `state`). */
  get engine(): ActiveEngine | undefined {
    return this.active;
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
    const launch = this.nextWorker();
    if ('problem' in launch) {
      this.setState({ kind: 'error', ...launch.problem });
      return;
    }
    const { modelDir, startFailedAction } = launch;
    this.setState({ kind: 'loading', modelDir });
    let client: WorkerEngineClient;
    try {
      client = await launch.start((event) => {
        // A replaced worker's late events must not overwrite the state of the new one.
        if (this.client === client) {
          this.onEngineEvent(modelDir, event);
        }
      });
    } catch (error) {
      if (startFailedAction === undefined) {
        throw error;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.setState({ kind: 'error', modelDir, message: `Could not load the model in ${modelDir}: ${reason}.`, action: startFailedAction });
      return;
    }
    if (this.disposed) {
      await client.dispose();
      return;
    }
    this.client = client;
    this.active = { generation: ++this.generation, modelDir, engine: client };
    this.engineChanged.fire(this.active);
  }

  /** Resolves with the loaded model's description; rejects with the load error. */
  async whenReady(): Promise<EngineModelInfo> {
    this.noteActivity();
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
        this.startIdleCountdown();
        break;
      case 'loadFailed':
        this.setState({
          kind: 'error',
          modelDir,
          message: `Could not load the model in ${modelDir}: ${event.error.message}.`,
          action: this.loadFailedAction,
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
    clearTimeout(this.idleTimer);
    this.configListener.dispose();
    await this.stop();
    await this.releaseResources();
    this.stateChanged.dispose();
    this.engineChanged.dispose();
  }
}
