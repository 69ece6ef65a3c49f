import type { CompletionEngine, GenerateResult, ModelInfo } from '../engine';
import { CompletionCache } from './completionCache';
import { DocumentTokenRatios } from './documentTokenRatios';
import { maxNewTokensFor, stopSequencesFor } from './completionMode';
import { type NgramDocuments, ngramDocumentsOf } from './ngramDocuments';
import { emptiedBy, type FilterContext, postProcess, StreamingPostProcessor } from './postprocess/postProcess';
import { type MeasuredRatios, type PromptPlan, PromptPlanner } from './promptPlan';
import { type RawListener, SharedGeneration } from './sharedGeneration';
import { SnippetTokenFit } from './snippetTokenFit';
import { DEFAULT_FIM_ORDER, type FimOrder } from './template';
import { TimeSlicer } from './timeSlicer';
import { TokenEstimator } from './tokenEstimator';
import type { CompletionRequest, CompletionResult, PipelineOptions } from './types';

/**
 * The orchestrator of inline completion: cache, prompt (gather, snippets, template), generation
 * (new or shared with one in flight), streaming and post-processing. The newest request wins:
 * each one cancels the one before, which gets undefined. Free of `vscode`, so the extension's
 * provider and the headless CLI run exactly this.
 */

/** Prefix characters sent to the tokenizer once to calibrate the token estimate. */
const CALIBRATION_CHARS = 8192;

export interface CompleteOptions {
  readonly signal?: AbortSignal;
  /** The suggestion so far, post-processed, each time it grows by complete lines. */
  readonly onUpdate?: (completion: string) => void;
}

export interface PipelineConfig {
  readonly fimOrder?: FimOrder;
  readonly cacheEntries?: number;
  /** Told what is open before each request, while the n-gram cache is on; default: the engine. */
  readonly ngramDocuments?: NgramDocuments;
  /**
   * Caps the model's context below what ModelInfo says, e.g. for a model whose config states more
   * positions than it was trained on (prompts past its training length lose quality).
   */
  readonly maxContextTokens?: number;
}

export class CompletionPipeline {
  private readonly estimator = new TokenEstimator();
  private readonly documentRatios = new DocumentTokenRatios();
  private readonly snippetFit = new SnippetTokenFit();
  private readonly planner: PromptPlanner;
  private readonly cache: CompletionCache;
  private readonly ngramDocuments: NgramDocuments | undefined;
  private readonly maxContextTokens: number;
  private modelInfo: Promise<ModelInfo> | undefined;
  private generation: SharedGeneration | undefined;
  private latest: AbortController | undefined;
  private prefilling: AbortController | undefined;

  constructor(
    private readonly engine: CompletionEngine,
    private readonly options: () => PipelineOptions,
    config: PipelineConfig = {},
  ) {
    this.planner = new PromptPlanner(this.estimator, config.fimOrder ?? DEFAULT_FIM_ORDER);
    this.cache = new CompletionCache(config.cacheEntries);
    this.maxContextTokens = config.maxContextTokens ?? Number.POSITIVE_INFINITY;
    // The engine's own n-gram cache unless told otherwise: the extension and the CLI blend alike.
    this.ngramDocuments = config.ngramDocuments ?? (engine.updateDocuments && { update: (documents) => engine.updateDocuments!(documents) });
  }

  /**
   * Whether a non-empty suggestion for this request is cached (typed through, or asked before):
   * the provider then answers at once instead of debouncing, so ghost text the user is typing
   * through is not hidden while VS Code waits for it.
   */
  hasCachedSuggestion(request: CompletionRequest): boolean {
    return (this.cache.get(request, cacheVariant(this.options())) ?? '').length > 0;
  }

  /**
   * The suggestion for a request ('' when there is nothing worth showing, with the figures of the
   * generation that found so), or undefined when it was cancelled or a newer request came.
   */
  async complete(request: CompletionRequest, { signal, onUpdate }: CompleteOptions = {}): Promise<CompletionResult | undefined> {
    const startedAt = performance.now();
    const controller = linkedController(signal);
    const previous = this.latest;
    this.latest = controller;
    this.prefilling?.abort();
    const options = this.options();
    const variant = cacheVariant(options);
    const cached = this.cache.get(request, variant);
    if (cached !== undefined) {
      previous?.abort();
      return cachedResult(cached, request);
    }
    const plan = await this.planFor(request);
    const plannedAt = performance.now();
    if (controller.signal.aborted) {
      previous?.abort();
      return undefined;
    }
    const context: FilterContext = {
      prefix: plan.windows.prefix,
      suffix: plan.windows.suffix,
      mode: plan.mode,
      maxLines: options.maxLines,
      final: true,
      wholePrefix: plan.windows.prefixStart === 0,
      // The current document, not the snippets of other files that the prompt also holds.
      trustedText: [request.prefix, request.suffix],
    };
    let shown = '';
    let complete = false;
    const streaming = new StreamingPostProcessor(context);
    const listener: RawListener = (raw) => {
      const partial = streaming.push(raw);
      if (partial.text.length > shown.length && !controller.signal.aborted) {
        shown = partial.text;
        onUpdate?.(shown);
      }
      if (partial.done) {
        complete = true;
        this.generation?.enough(listener);
      }
    };
    const followed = await this.generate(request, plan, options, listener, controller.signal, previous).catch((error: unknown) => {
      if (controller.signal.aborted) {
        return undefined;
      }
      throw error;
    });
    if (followed === undefined || controller.signal.aborted) {
      return undefined;
    }
    const completion = postProcess(followed.text, context);
    // A generation cut short by something else than having enough may be missing its end.
    if (complete || followed.result.stopReason !== 'cancelled') {
      this.cache.set(request, completion, variant);
    }
    const { promptTokens, generatedTokens, reusedPromptTokens, stopReason, timings } = followed.result;
    // A request that followed a generation in flight waited for part of it only: the engine's
    // own prefill and decode times are the generation's, not this request's, and are left out.
    const ownTimings = followed.source === 'generated' ? timings : undefined;
    const trace = {
      planMs: plannedAt - startedAt,
      engineMs: performance.now() - plannedAt,
      prefillMs: ownTimings?.prefillMs,
      decodeMs: ownTimings?.decodeMs,
      stopReason,
      rawChars: followed.text.length,
      emptiedBy: completion.length === 0 ? emptiedBy(followed.text, context) : undefined,
    };
    return { completion, mode: plan.mode, promptTokens, generatedTokens, reusedPromptTokens, source: followed.source, trace };
  }

  /**
   * Prefill ahead: warms the engine's KV cache with the prompt this request would use, so the next
   * completion only pays for what is typed after it. Called when a file opens or typing pauses;
   * never competes with a generation in flight, and any completion request cancels it. Best
   * effort: it never rejects (an engine that fails will fail the next completion visibly).
   */
  async prefill(request: CompletionRequest, signal?: AbortSignal): Promise<void> {
    if (this.generation && !this.generation.isFinished) {
      return;
    }
    this.prefilling?.abort();
    const controller = linkedController(signal);
    this.prefilling = controller;
    try {
      const plan = await this.planFor(request);
      if (!controller.signal.aborted) {
        await this.engine.prefill(plan.prompt, controller.signal);
      }
    } catch {
      // Best effort, see above.
    }
  }

  private async planFor(request: CompletionRequest): Promise<PromptPlan> {
    const options = this.options();
    if (this.ngramDocuments && options.useNgramCache) {
      this.ngramDocuments.update(ngramDocumentsOf(request));
    }
    const info = await this.info();
    await this.planner.prepareSnippets(request, options, new TimeSlicer());
    await this.estimator.calibrate(this.engine, request.prefix.slice(-CALIBRATION_CHARS)).catch(() => undefined);
    let ratios: MeasuredRatios = { snippets: this.snippetFit.ratioFor(request.path) };
    let plan = this.planner.plan(request, info, options, ratios);
    const cursor = (request.prefixOffset ?? 0) + request.prefix.length;
    const range = { start: plan.windows.prefixStart, end: cursor + plan.windows.suffix.length };
    const document =
      this.documentRatios.known(request.path, range) ??
      (await this.documentRatios.measure(this.engine, request.path, plan.windows.prefix + plan.windows.suffix, range));
    if (document !== undefined && document < this.estimator.ratio) {
      ratios = { ...ratios, document };
      plan = this.planner.plan(request, info, options, ratios);
    }
    return this.snippetFit.fit(
      this.engine,
      request.path,
      plan,
      (snippets) => this.planner.plan(request, info, options, { ...ratios, snippets }),
      () => this.planner.plan(request, info, { ...options, fewShot: false }, ratios),
    );
  }

  private info(): Promise<ModelInfo> {
    if (!this.modelInfo) {
      this.modelInfo = this.engine.info().then((info) => ({ ...info, contextTokens: Math.min(info.contextTokens, this.maxContextTokens) }));
      // A failed load is retried by the next request rather than remembered.
      this.modelInfo.catch(() => (this.modelInfo = undefined));
    }
    return this.modelInfo;
  }

  /** Follows the generation in flight when it is producing what was typed since, else starts one. */
  private async generate(
    request: CompletionRequest,
    plan: PromptPlan,
    options: PipelineOptions,
    listener: RawListener,
    signal: AbortSignal,
    previous: AbortController | undefined,
  ): Promise<{ text: string; result: GenerateResult; source: CompletionResult['source'] } | undefined> {
    const inFlight = this.generation;
    const typed = inFlight?.typedAhead(request);
    if (inFlight && typed !== undefined) {
      // Join before cancelling the previous request, so the generation never loses its last follower.
      const joined = inFlight.follow(typed, listener, signal);
      previous?.abort();
      const result = await joined;
      if (result !== undefined || signal.aborted) {
        return result && { ...result, source: 'in-flight' };
      }
    } else {
      previous?.abort();
    }
    const generation = new SharedGeneration(request, (engineSignal, onDelta) =>
      this.engine.generate(
        plan.prompt,
        {
          maxNewTokens: maxNewTokensFor(plan.mode, options.maxNewTokens),
          temperature: options.temperature,
          stopSequences: stopSequencesFor(plan.mode),
          useNgramCache: options.useNgramCache,
          signal: engineSignal,
        },
        onDelta,
      ),
    );
    this.generation = generation;
    const result = await generation.follow('', listener, signal);
    return result && { ...result, source: 'generated' };
  }
}

/** The options are part of the answer (settings may differ per language or change): the cache keys them too. */
function cacheVariant(options: PipelineOptions): string {
  return JSON.stringify(options);
}

function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) {
    controller.abort();
  } else {
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
  }
  return controller;
}

function cachedResult(completion: string, request: CompletionRequest): CompletionResult {
  const mode = request.mode === 'line' || !completion.includes('\n') ? 'single-line' : 'multi-line';
  return { completion, mode, promptTokens: 0, generatedTokens: 0, reusedPromptTokens: 0, source: 'cache' };
}
