import type * as vscode from 'vscode';
import type { CompletionEngine } from '../core/engine';

/**
 * What the status bar and the commands need of the model service (src/vscode/workerModelService.ts),
 * declared here as the narrowest structural interface, so the UI depends on the shape and not on
 * the service's other duties (worker lifecycle, restarts).
 */

export interface ModelLoadProgress {
  readonly stage: string;
  readonly loadedBytes?: number;
  readonly totalBytes?: number;
}

export interface LoadedModelInfo {
  readonly id: string;
  readonly threads: number;
}

export type ModelStatus =
  | { readonly kind: 'stopped' }
  /** Unloaded after `minutes` without a request, to free its memory; the next request loads it again. */
  | { readonly kind: 'idle'; readonly modelDir: string; readonly minutes: number }
  | { readonly kind: 'loading'; readonly modelDir: string; readonly progress?: ModelLoadProgress }
  | { readonly kind: 'ready'; readonly modelDir: string; readonly info: LoadedModelInfo; readonly backend: 'wasm' | 'webgpu' }
  /** `action` says what the user can do about it. */
  | { readonly kind: 'error'; readonly modelDir?: string; readonly message: string; readonly action: string };

export interface ModelStatusSource {
  readonly state: ModelStatus;
  readonly onDidChangeState: vscode.Event<ModelStatus>;
}

/** Where the commands take their engine from. */
export interface EngineSource {
  /** Resolves once the model is loaded; rejects with an error that says what to do. */
  whenReady(): Promise<unknown>;
  readonly engine: { readonly engine: CompletionEngine } | undefined;
}

/** Share of the model's bytes read so far, when the load reports it. */
export function loadFraction(progress: ModelLoadProgress | undefined): number | undefined {
  if (!progress || progress.totalBytes === undefined || progress.totalBytes <= 0 || progress.loadedBytes === undefined) {
    return undefined;
  }
  return Math.min(1, Math.max(0, progress.loadedBytes / progress.totalBytes));
}
