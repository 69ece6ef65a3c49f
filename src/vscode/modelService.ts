import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkerEngineClient } from '../client/workerEngineClient';
import type { Settings } from '../core/settings';
import { type NextWorker, WorkerModelService } from './workerModelService';

/**
 * Owns the inference worker for the whole extension: finds the model folder from
 * `localGpt.model.path` (empty: the bundled default model) and starts the worker client on
 * dist/worker.js; the load state, restarts on an engine setting change and the shutdown on
 * deactivate are WorkerModelService's. The inline provider and the commands take their
 * engine from here.
 */

/** The default model's folder, relative to the extension's root (shipped in the VSIX). */
export const BUNDLED_MODEL_DIR = path.join('models', 'lgc-small');

/** Settings whose change needs a new worker (another model, thread pool or backend). */
const ENGINE_SETTINGS = ['localGpt.model.path', 'localGpt.engine.threads', 'localGpt.engine.backend'];

export interface ModelServiceOptions {
  /** The extension's root folder: holds dist/ and the bundled models/. */
  readonly extensionPath: string;
  readonly settings: () => Settings;
}

export class ModelService extends WorkerModelService {
  constructor(private readonly options: ModelServiceOptions) {
    super(ENGINE_SETTINGS, 'Fix the named file, or choose another model folder in the setting localGpt.model.path.');
  }

  /** The model folder the settings point at: `localGpt.model.path`, or the bundled model. */
  modelDir(): string {
    const configured = this.options.settings().model.path;
    return configured.length > 0 ? path.resolve(configured) : path.join(this.options.extensionPath, BUNDLED_MODEL_DIR);
  }

  protected idleUnloadMinutes(): number {
    return this.options.settings().engine.idleUnloadMinutes;
  }

  protected nextWorker(): NextWorker {
    const settings = this.options.settings();
    const modelDir = this.modelDir();
    const problem = modelFolderProblem(modelDir, settings.model.path.length === 0) ?? backendProblem(settings.engine.backend);
    if (problem) {
      return { problem: { modelDir, ...problem } };
    }
    const dist = path.join(this.options.extensionPath, 'dist');
    return {
      modelDir,
      start: (onEvent) =>
        new WorkerEngineClient({
          workerScript: path.join(dist, 'worker.js'),
          load: { modelDir, wasmDir: dist, threads: settings.engine.threads },
          newestWins: true,
          onEvent,
        }),
    };
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
