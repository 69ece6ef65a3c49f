import type * as vscode from 'vscode';
import type { CompletionEngine } from '../../core/engine';
import type { EngineSource } from '../modelStatusSource';
import type { GenerationProgress } from './generationRunner';

/**
 * The engine the generation commands run on: the model service's, unless another engine was
 * put in its place with `use()` (integration tests drive the commands with a scripted engine or a
 * particular model this way; an embedding extension could too).
 */
export class CommandEngine {
  private replacement: CompletionEngine | undefined;

  constructor(private readonly source: EngineSource | undefined) {}

  /** Runs the commands on `engine` until the returned disposable is disposed. */
  use(engine: CompletionEngine): vscode.Disposable {
    this.replacement = engine;
    return {
      dispose: () => {
        if (this.replacement === engine) {
          this.replacement = undefined;
        }
      },
    };
  }

  /** The engine with its model loaded; rejects with an error that says what to do. */
  async loaded(progress?: GenerationProgress): Promise<CompletionEngine> {
    if (this.replacement) {
      return this.replacement;
    }
    if (!this.source) {
      throw new Error('The model service is not running. Reload the window.');
    }
    progress?.report('waiting for the model to load…');
    await this.source.whenReady();
    const active = this.source.engine;
    if (!active) {
      throw new Error('The model is not loaded. Check the Local GPT status bar item for the reason.');
    }
    return active.engine;
  }
}
