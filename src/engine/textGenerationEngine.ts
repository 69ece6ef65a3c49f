/**
 * The inference engine: a loaded model folder (tokenizer + ONNX decoder session + KV cache) that
 * answers token counts, prefills and generations one at a time. It knows nothing about threads
 * or VS Code: the worker drives it over messages, the in-process engine (CLI, tests) directly.
 */
import type { GenerateResult, PromptPart, SpecialTokenRole } from '../core/engine';
import { DecoderSession, configureOnnxRuntime, configuredThreads, type ExecutionProvider } from './decoderSession';
import { EngineError } from './errors';
import { generateTokens, prefillPrompt, type CancelCheck, type DecodeOptions, type GenerationCallbacks, type GenerationContext, type NgramSetup } from './generationLoop';
import { KvCache } from './kvCache';
import { checkTokenizerAgainstConfig, checkTokenizerVocabulary, type TokenizerFacts } from './modelConsistency';
import type { ModelFileSource } from './modelFiles';
import { readModelFolder, type ModelDtype, type ModelFolder } from './modelFolder';
import type { NgramSources } from './ngram/alignedContext';
import type { CacheDocument, NgramDocumentChanges } from './ngram/documentChanges';
import { DEFAULT_NGRAM_BLEND, type NgramBlendOptions } from './ngram/ngramBlendProcessor';
import { NgramCache } from './ngram/ngramCache';
import { TokenTexts } from './ngram/tokenTexts';
import { ModelTokenizer } from './tokenizer';

export interface EngineLoadOptions {
  /** WASM threads (>= 1). */
  readonly threads: number;
  /** Folder holding ort-wasm-simd-threaded.{mjs,wasm} (the extension's dist/). */
  readonly wasmDir?: string;
  /** The runtime's .wasm bytes, for a worker that cannot read files (browser); replaces wasmDir. */
  readonly wasmBinary?: Uint8Array;
  /** Execution providers to try in order (default: WASM only); the first that loads is used. */
  readonly executionProviders?: readonly ExecutionProvider[];
  readonly dtype?: ModelDtype;
  /** Refuse models with more weight bytes than this. */
  readonly maxModelBytes?: number;
  /** Longest sequence the KV cache keeps between requests (default: the model's context). */
  readonly maxCachedTokens?: number;
  /** Run a short generation after loading so V8 tiers up the WASM before the first request. */
  readonly warmUp?: boolean;
}

export type LoadStage = 'reading-files' | 'creating-session' | 'warming-up' | 'ready';

export interface LoadProgress {
  readonly stage: LoadStage;
  readonly loadedBytes?: number;
  readonly totalBytes?: number;
}

/** What the engine tells the host about the model; plain data, so it can cross threads. */
export interface EngineModelInfo {
  readonly id: string;
  readonly modelType: string;
  readonly specialTokens: readonly SpecialTokenRole[];
  readonly contextTokens: number;
  readonly vocabSize?: number;
  readonly onnxFile: string;
  readonly weightBytes: number;
  readonly threads: number;
  /** The execution provider the model runs on, for the status bar. */
  readonly backend: ExecutionProvider;
  /** What the backend runs on (the WebGPU adapter) or why a preferred one was not used. */
  readonly backendDetail?: string;
  readonly loadMs: number;
}

export interface PrefillResult {
  readonly promptTokens: number;
  readonly reusedPromptTokens: number;
}

const DEFAULT_CONTEXT_TOKENS = 2048;
const WARM_UP_TEXT = 'function warmUp(values) {\n  let total = 0;\n  for (const value of values) {\n    total += value;\n  }\n';
const WARM_UP_TOKENS = 8;

export class TextGenerationEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly info: EngineModelInfo,
    readonly tokenizer: ModelTokenizer,
    private readonly session: DecoderSession,
    private readonly context: GenerationContext,
    private ngram: NgramSetup,
  ) {}

  static async load(
    files: ModelFileSource,
    options: EngineLoadOptions,
    onProgress: (progress: LoadProgress) => void = () => {},
  ): Promise<TextGenerationEngine> {
    const started = Date.now();
    onProgress({ stage: 'reading-files' });
    const folder = await readModelFolder(files, { dtype: options.dtype, maxModelBytes: options.maxModelBytes });
    const tokenizer = ModelTokenizer.fromFolder(folder);
    const tokenizerFacts: TokenizerFacts = { file: tokenizer.file, largestId: tokenizer.largestId, endOfTextId: tokenizer.roleIds.get('endOfText') };
    checkTokenizerAgainstConfig(folder, tokenizerFacts);
    const stopTokenIds = stopTokens(folder, tokenizer);
    const weights = await files.readBytes(folder.onnxFile, (loadedBytes) =>
      onProgress({ stage: 'reading-files', loadedBytes, totalBytes: folder.weightBytes }),
    );
    const externalWeights = folder.onnxDataFile ? await files.readBytes(folder.onnxDataFile) : undefined;
    onProgress({ stage: 'creating-session' });
    configureOnnxRuntime({ threads: options.threads, wasmDir: options.wasmDir, wasmBinary: options.wasmBinary });
    const session = await DecoderSession.create(folder, weights, externalWeights, options.executionProviders);
    try {
      checkTokenizerVocabulary(folder, session.graph, files.describe(folder.onnxFile), tokenizerFacts);
    } catch (error) {
      await session.release();
      throw error;
    }
    const contextTokens = folder.config.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
    const cache = new KvCache(session.graph);
    const encode = (text: string): number[] => tokenizer.encodeText(text);
    const ngram: NgramSetup = {
      sources: { cache: new NgramCache(encode), encode, texts: new TokenTexts((id) => tokenizer.decode([id]), stopTokenIds) },
      fim: { suffix: tokenizer.roleIds.get('fimSuffix'), middle: tokenizer.roleIds.get('fimMiddle') },
      blend: DEFAULT_NGRAM_BLEND,
    };
    const context: GenerationContext = {
      session,
      cache,
      decode: (ids) => tokenizer.decode(ids),
      stopTokenIds,
      contextTokens,
      maxCachedTokens: Math.min(options.maxCachedTokens ?? contextTokens, contextTokens),
    };
    const info: EngineModelInfo = {
      id: files.modelId,
      modelType: folder.config.modelType,
      specialTokens: [...tokenizer.roleIds.keys()],
      contextTokens,
      vocabSize: folder.config.vocabSize,
      onnxFile: files.describe(folder.onnxFile),
      weightBytes: folder.weightBytes,
      threads: configuredThreads() ?? options.threads,
      backend: session.executionProvider,
      ...(session.fallbackReason ? { backendDetail: `fell back to ${session.executionProvider}: ${session.fallbackReason}` } : {}),
      loadMs: 0,
    };
    const engine = new TextGenerationEngine(info, tokenizer, session, context, ngram);
    if (options.warmUp ?? true) {
      onProgress({ stage: 'warming-up' });
      await engine.warmUp();
    }
    (info as { loadMs: number }).loadMs = Date.now() - started;
    onProgress({ stage: 'ready' });
    return engine;
  }

  countTokens(text: string): number {
    return this.tokenizer.encodeText(text).length;
  }

  encodePrompt(prompt: readonly PromptPart[]): number[] {
    return this.promptIds(prompt);
  }

  /** Tokens the KV cache holds now (for tests and statistics). */
  get cachedTokens(): readonly number[] {
    return this.context.cache.tokens;
  }

  prefill(prompt: readonly PromptPart[], isCancelled: CancelCheck = () => false): Promise<PrefillResult> {
    return this.serialized(async () => {
      const promptIds = this.promptIds(prompt);
      if (isCancelled()) {
        return { promptTokens: promptIds.length, reusedPromptTokens: 0 };
      }
      const ids = promptIds.slice(0, this.context.maxCachedTokens);
      const outcome = await prefillPrompt(this.context, ids, false, isCancelled);
      return { promptTokens: promptIds.length, reusedPromptTokens: outcome.reusedPromptTokens };
    });
  }

  generate(
    prompt: readonly PromptPart[],
    options: DecodeOptions,
    onDelta: (delta: string) => void = () => {},
    isCancelled: CancelCheck = () => false,
  ): Promise<GenerateResult> {
    return this.serialized(() => this.generateIds(this.promptIds(prompt), options, { onDelta, isCancelled }));
  }

  /** Generation from token ids (tests and the benchmark compare ids with other runtimes). */
  generateFromIds(promptIds: readonly number[], options: DecodeOptions, callbacks: GenerationCallbacks = {}): Promise<GenerateResult> {
    return this.serialized(() => this.generateIds(promptIds, options, callbacks));
  }

  /**
   * The n-gram cache now holds exactly these documents (most important first), tokenized with
   * this model's tokenizer; only what changed since the last call is tokenized again. Applied at
   * once, not queued behind a generation: the next decode step already sees it.
   */
  updateNgramDocuments(documents: readonly CacheDocument[]): void {
    this.ngram.sources.cache.update(documents);
  }

  /** The same as changes computed on the host (the worker client sends only what changed). */
  applyNgramChanges(changes: NgramDocumentChanges): void {
    this.ngram.sources.cache.apply(changes);
  }

  get ngramCache(): NgramCache {
    return this.ngram.sources.cache;
  }

  /** The cache with the tokenizer and token texts it is queried with (the benchmark times the blend). */
  get ngramSources(): NgramSources {
    return this.ngram.sources;
  }

  /** How the cache is blended into decoding (the benchmark compares mixings; the default otherwise). */
  configureNgramBlend(blend: NgramBlendOptions): void {
    this.ngram = { ...this.ngram, blend };
  }

  /** Drops the KV cache, so the next request starts cold. */
  resetCache(): Promise<void> {
    return this.serialized(async () => this.context.cache.clear());
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => {});
    this.context.cache.clear();
    await this.session.release();
  }

  private generateIds(promptIds: readonly number[], options: DecodeOptions, callbacks: GenerationCallbacks): Promise<GenerateResult> {
    validateOptions(options);
    if (promptIds.length >= this.context.contextTokens) {
      throw new EngineError(
        'prompt-too-long',
        `The prompt has ${promptIds.length} tokens; the model ${this.info.id} handles ${this.context.contextTokens}`,
      );
    }
    return generateTokens({ ...this.context, ngram: this.ngram }, promptIds, options, callbacks);
  }

  private promptIds(prompt: readonly PromptPart[]): number[] {
    const ids = this.tokenizer.encodePrompt(prompt);
    if (ids.length === 0) {
      // An empty document: start from the document separator the model was trained with.
      ids.push(this.tokenizer.idOfRole('endOfText'));
    }
    return ids;
  }

  private async warmUp(): Promise<void> {
    await this.generateIds(this.tokenizer.encodeText(WARM_UP_TEXT), { maxNewTokens: WARM_UP_TOKENS, temperature: 0 }, {});
    this.context.cache.clear();
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    if (this.disposed) {
      return Promise.reject(new EngineError('disposed', 'The engine was disposed'));
    }
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

function stopTokens(folder: ModelFolder, tokenizer: ModelTokenizer): Set<number> {
  const eos = folder.config.eosTokenIds.length > 0 ? folder.config.eosTokenIds : [...(tokenizer.roleIds.has('endOfText') ? [tokenizer.idOfRole('endOfText')] : [])];
  if (eos.length === 0) {
    const file = folder.files.describe('tokenizer_config.json');
    throw new EngineError('tokenizer', `No end-of-sequence token: neither generation_config.json, config.json nor ${file} names one`, file);
  }
  return new Set([...eos, ...tokenizer.specialIds]);
}

function validateOptions(options: DecodeOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 0) problems.push('maxNewTokens must be an integer >= 0');
  if (!(options.temperature >= 0)) problems.push('temperature must be >= 0');
  if (options.topK !== undefined && !(options.topK >= 0)) problems.push('topK must be >= 0');
  if (options.topP !== undefined && !(options.topP > 0 && options.topP <= 1)) problems.push('topP must be in (0, 1]');
  if (options.repetitionPenalty !== undefined && !(options.repetitionPenalty > 0)) problems.push('repetitionPenalty must be > 0');
  if (problems.length > 0) throw new EngineError('invalid-request', `Invalid generation options: ${problems.join('; ')}`);
}
