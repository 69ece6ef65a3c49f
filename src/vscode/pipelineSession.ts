import type * as vscode from 'vscode';
import { CompletionPipeline } from '../core/completion/completionPipeline';
import { optionsFromSettings } from '../core/completion/pipelineOptions';
import type { Settings } from '../core/settings';
import type { WorkerModelService } from './workerModelService';

/**
 * The one CompletionPipeline of the loaded model, shared by the inline provider and prefill
 * ahead: it must be one instance, because it coordinates the generation in flight, the prefill
 * and the cache. A new model (restart) gets a new pipeline, since cached suggestions and warmed
 * prompts belong to the old one.
 */
export class PipelineSession implements vscode.Disposable {
  private pipeline: { generation: number; pipeline: CompletionPipeline } | undefined;
  private readonly engineListener: vscode.Disposable;

  constructor(
    // Only these members: the browser build passes its own model service (src/web/host).
    private readonly models: Pick<WorkerModelService, 'engine' | 'state' | 'onDidChangeEngine' | 'noteActivity'>,
    private readonly settings: () => Settings,
  ) {
    this.engineListener = models.onDidChangeEngine(() => (this.pipeline = undefined));
  }

  /** The pipeline of the loaded model, or undefined while no model is ready. */
  current(): CompletionPipeline | undefined {
    this.models.noteActivity();
    const active = this.models.engine;
    if (!active || this.models.state.kind !== 'ready') {
      return undefined;
    }
    if (this.pipeline?.generation !== active.generation) {
      const pipeline = new CompletionPipeline(active.engine, () => optionsFromSettings(this.settings()));
      this.pipeline = { generation: active.generation, pipeline };
    }
    return this.pipeline.pipeline;
  }

  dispose(): void {
    this.engineListener.dispose();
  }
}
