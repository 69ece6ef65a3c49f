/**
 * CompletionEngine running the engine in the calling thread, for the headless CLI and tests: the
 * same TextGenerationEngine the worker drives, without the worker. An AbortSignal is checked
 * between decode steps; newest-wins cancels the previous generate/prefill when a new one starts.
 */
import type { CompletionEngine, GenerateOptions, GenerateResult, ModelInfo, PromptPart } from '../core/engine';
import type { CacheDocument } from './ngram/documentChanges';
import type { ModelFileSource } from './modelFiles';
import { TextGenerationEngine, type EngineLoadOptions, type LoadProgress } from './textGenerationEngine';

export interface InProcessEngineOptions extends EngineLoadOptions {
  readonly newestWins?: boolean;
  readonly onProgress?: (progress: LoadProgress) => void;
}

export class InProcessEngine implements CompletionEngine {
  /** Bumped by every interactive request; older ones see they were superseded (newest-wins). */
  private generation = 0;

  private constructor(
    readonly engine: TextGenerationEngine,
    private readonly newestWins: boolean,
  ) {}

  static async load(files: ModelFileSource, options: InProcessEngineOptions): Promise<InProcessEngine> {
    const engine = await TextGenerationEngine.load(files, options, options.onProgress);
    return new InProcessEngine(engine, options.newestWins ?? false);
  }

  async info(): Promise<ModelInfo> {
    const info = this.engine.info;
    return { id: info.id, specialTokens: new Set(info.specialTokens), contextTokens: info.contextTokens };
  }

  async countTokens(text: string): Promise<number> {
    return this.engine.countTokens(text);
  }

  generate(prompt: readonly PromptPart[], options: GenerateOptions, onDelta?: (delta: string) => void): Promise<GenerateResult> {
    const { signal, ...decodeOptions } = options;
    return this.engine.generate(prompt, decodeOptions, onDelta, this.cancelCheck(signal));
  }

  updateDocuments(documents: readonly CacheDocument[]): void {
    this.engine.updateNgramDocuments(documents);
  }

  async prefill(prompt: readonly PromptPart[], signal?: AbortSignal): Promise<void> {
    await this.engine.prefill(prompt, this.cancelCheck(signal));
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }

  private cancelCheck(signal: AbortSignal | undefined): () => boolean {
    const generation = ++this.generation;
    return () => (signal?.aborted ?? false) || (this.newestWins && generation !== this.generation);
  }
}
