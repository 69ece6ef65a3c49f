import type { CompletionEngine } from '../../../src/core/engine';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { FimOrder } from '../../../src/core/completion/template';
import type { NgramMixing } from '../../../src/engine/ngram/ngramBlendProcessor';
import type { CompletionRequest, PipelineOptions } from '../../../src/core/completion/types';
import type { BenchTarget, TypingPosition } from './corpus';
import { namesOnlyInOpenFiles, verbatimInOpenFiles } from './copyable';
import { editSimilarity, type Sample } from './metrics';

/**
 * Replays typing through the extension's pipeline: at each position the user pauses (the
 * provider prefills ahead), then types the line's real characters one by one, asking for a
 * suggestion after each keystroke and waiting for it, as the provider does after its debounce.
 * Latency is to the moment the suggestion shows: its first streamed line, or the whole of it.
 * Each suggestion's first line is compared with the real rest of the line.
 */

export interface BenchConfig {
  readonly name: string;
  readonly fewShot: boolean;
  readonly ngramCache: boolean;
  /** How the cache meets the GPT when on: blended (linear, log-linear) or the cache alone. */
  readonly ngramMixing?: NgramMixing;
  readonly fimOrder: FimOrder;
}

/** One configuration's session: its own pipeline (and cache), replaying one file at a time. */
export class ConfigReplay {
  readonly samples: Sample[] = [];
  private readonly pipeline: CompletionPipeline;

  constructor(
    engine: CompletionEngine,
    readonly config: BenchConfig,
    options: PipelineOptions,
    private readonly keystrokes: number,
    maxContextTokens?: number,
  ) {
    const configured = { ...options, fewShot: config.fewShot, useNgramCache: config.ngramCache };
    this.pipeline = new CompletionPipeline(engine, () => configured, { fimOrder: config.fimOrder, maxContextTokens });
  }

  async replay(target: BenchTarget): Promise<void> {
    for (const position of target.positions) {
      await this.pipeline.prefill(requestAt(target, position, position.typedAtStart));
      const lastTyped = Math.min(position.line.length - 1, position.typedAtStart + this.keystrokes - 1);
      for (let typed = position.typedAtStart; typed <= lastTyped; typed++) {
        this.samples.push(await keystroke(this.pipeline, target, position, typed));
      }
    }
  }
}

export function requestAt(target: BenchTarget, position: TypingPosition, typed: number): CompletionRequest {
  const text = target.file.text;
  return {
    path: target.file.path,
    languageId: target.languageId,
    prefix: text.slice(0, position.lineStart + typed),
    suffix: text.slice(position.lineStart + position.line.length),
    openFiles: target.siblings,
    mode: 'auto',
  };
}

async function keystroke(pipeline: CompletionPipeline, target: BenchTarget, position: TypingPosition, typed: number): Promise<Sample> {
  const request = requestAt(target, position, typed);
  const started = performance.now();
  let firstShownMs: number | undefined;
  const onUpdate = () => (firstShownMs ??= performance.now() - started);
  const result = await pipeline.complete(request, { onUpdate });
  const completeMs = performance.now() - started;
  const expected = position.line.slice(typed).trim();
  const suggested = (result?.completion.split('\n', 1)[0] ?? '').trim();
  const shown = result !== undefined && result.completion.length > 0;
  return {
    latencyMs: firstShownMs ?? completeMs,
    completeMs,
    shown,
    exact: shown && suggested === expected,
    copyable: namesOnlyInOpenFiles(expected, request.prefix + request.suffix, target.siblings).length > 0,
    verbatim: verbatimInOpenFiles(expected, request.prefix + request.suffix, target.siblings),
    editSimilarity: shown ? editSimilarity(suggested, expected) : 0,
    expected,
    suggested,
    line: `${target.file.source}/${target.file.path}:${position.lineStart}`,
    source: result?.source ?? 'none',
    promptTokens: result?.promptTokens ?? 0,
    reusedPromptTokens: result?.reusedPromptTokens ?? 0,
  };
}
