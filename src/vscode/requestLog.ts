import type { CompletionResult } from '../core/completion/types';
import type { StreamEnd } from './streamingSuggestions';

/**
 * One log line per inline completion request, so that silence can be explained: what became of
 * it (shown, empty after which step, cancelled by what, failed), its tokens, and where the time
 * went. Written at debug level (trace for requests a newer keystroke cancelled in their debounce);
 * the Output view's log level setting shows them.
 */

/** Why the provider stopped a stream itself; the pipeline's own cancellations have no reason. */
export type StopReason = 'orphaned' | 'dismissed' | 'disposed';

export interface RequestFacts {
  readonly id: number;
  readonly languageId: string;
  readonly where: string;
  readonly debounceMs: number;
  /** Whether VS Code was handed a non-empty suggestion from this request. */
  readonly shown: boolean;
  /** Why the provider stopped it, when it did. */
  readonly stoppedBy?: StopReason;
}

const STOPPED: Record<StopReason, string> = {
  orphaned: 'cancelled: VS Code dropped the request and no newer one took it over',
  dismissed: 'cancelled: dismissed (Escape)',
  disposed: 'cancelled: the extension stopped',
};

export function requestLine(facts: RequestFacts, end: StreamEnd): string {
  const head = `inline #${facts.id} ${facts.languageId} ${facts.where}`;
  if (end.kind === 'error') {
    return `${head}: failed: ${end.error instanceof Error ? end.error.message : String(end.error)} | debounce ${facts.debounceMs} ms`;
  }
  const result = end.result;
  if (result === undefined) {
    const why = facts.stoppedBy ? STOPPED[facts.stoppedBy] : 'cancelled: a newer request took over';
    return `${head}: ${why} after ${Math.round(end.durationMs)} ms | debounce ${facts.debounceMs} ms`;
  }
  return `${head}: ${outcome(result, facts.shown)} | ${figures(result)} | debounce ${facts.debounceMs} ms, total ${Math.round(end.durationMs)} ms`;
}

export function notAskedLine(facts: Pick<RequestFacts, 'id' | 'languageId' | 'where'>, why: string): string {
  return `inline #${facts.id} ${facts.languageId} ${facts.where}: not asked: ${why}`;
}

export function debouncedLine(facts: Pick<RequestFacts, 'id' | 'languageId' | 'where' | 'debounceMs'>): string {
  return `inline #${facts.id} ${facts.languageId} ${facts.where}: cancelled in its ${facts.debounceMs} ms debounce (a newer keystroke)`;
}

function outcome(result: CompletionResult, shown: boolean): string {
  if (result.completion.length > 0) {
    const text = JSON.stringify(result.completion.length > 60 ? `${result.completion.slice(0, 60)}…` : result.completion);
    return shown ? `shown ${text} (${result.source})` : `not shown ${text} (${result.source}): VS Code had cancelled the request before it was ready`;
  }
  const trace = result.trace;
  if (trace === undefined) {
    return `empty (${result.source})`;
  }
  return trace.emptiedBy ? `empty after ${trace.emptiedBy} (the model wrote ${trace.rawChars} characters)` : `empty: the model wrote nothing (${trace.stopReason})`;
}

function figures(result: CompletionResult): string {
  const tokens = `prompt ${result.promptTokens} tokens (${result.reusedPromptTokens} cached), generated ${result.generatedTokens}`;
  const trace = result.trace;
  if (trace === undefined) {
    return tokens;
  }
  const engine = trace.prefillMs === undefined ? '' : ` (prefill ${Math.round(trace.prefillMs)}, decode ${Math.round(trace.decodeMs ?? 0)})`;
  return `${tokens} | plan ${Math.round(trace.planMs)} ms, engine ${Math.round(trace.engineMs)} ms${engine}`;
}
