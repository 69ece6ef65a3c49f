import { percentile, type Sample } from '../completion/metrics';
import { type RequestLogLine, type Stages, stagesOf } from './requestLog';
import type { PauseRecord } from './workbenchReplay';

/** A pause with what the extension logged for it and bench:completion's figures for the same request. */
export interface PauseResult extends PauseRecord {
  readonly shown: boolean;
  readonly shownWithin500Ms: boolean;
  /** The extension's log lines for requests at this cursor position during the pause. */
  readonly logLines: readonly RequestLogLine[];
  /** Stages of the request that generated text at this position (absent when the text came from elsewhere). */
  readonly stages?: Stages;
  /** bench:completion's replay of the same request (in process, waited for): its latency, suggestion, source. */
  readonly inProcess?: Pick<Sample, 'latencyMs' | 'completeMs' | 'shown' | 'suggested' | 'exact' | 'source' | 'promptTokens' | 'reusedPromptTokens'>;
}

/** Slack after the pause for the log line of a request still running when the pause ended. */
const LOG_SLACK_MS = 2000;

export function withLog(
  record: PauseRecord,
  lines: readonly RequestLogLine[],
  pauseMs: number,
  sample: Sample | undefined,
  stored?: PauseResult['inProcess'],
): PauseResult {
  const where = `${record.file}:${record.lineNumber}:${record.typed + 1}`;
  const logLines = lines.filter((line) => line.where === where && line.epochMs >= record.keyEpochMs && line.epochMs <= record.keyEpochMs + pauseMs + LOG_SLACK_MS);
  const shown = record.latencyMs !== null;
  const stages = shown && !record.carried ? stagesOf(logLines, record.keyEpochMs, record.keyEpochMs + (record.latencyMs ?? 0)) : undefined;
  const inProcess = stored ?? (sample && {
    latencyMs: Math.round(sample.latencyMs),
    completeMs: Math.round(sample.completeMs),
    shown: sample.shown,
    suggested: sample.suggested,
    exact: sample.exact,
    source: sample.source,
    promptTokens: sample.promptTokens,
    reusedPromptTokens: sample.reusedPromptTokens,
  });
  return { ...record, shown, shownWithin500Ms: shown && (record.latencyMs ?? 0) <= 500, logLines, stages, inProcess };
}

const pct = (count: number, of: number) => (of === 0 ? 'n/a' : `${((100 * count) / of).toFixed(0)}% (${count}/${of})`);
const ms = (values: readonly number[]) => (values.length === 0 ? 'n/a' : `p50 ${Math.round(percentile(values, 0.5))} ms, p95 ${Math.round(percentile(values, 0.95))} ms (n ${values.length})`);
const median = (values: readonly number[]) => (values.length === 0 ? NaN : percentile(values, 0.5));

export function report(results: readonly PauseResult[], pauseMs: number): string[] {
  const lines: string[] = [];
  const shown = results.filter((result) => result.shown);
  const latencies = (of: readonly PauseResult[]) => of.map((result) => result.latencyMs ?? 0);
  const completable = results.filter((result) => result.inProcess?.shown);
  lines.push(`pauses: ${results.length}; ghost text within the ${pauseMs} ms pause: ${pct(shown.length, results.length)}; within 500 ms: ${pct(results.filter((r) => r.shownWithin500Ms).length, results.length)}`);
  if (completable.length > 0 || results.some((result) => result.inProcess)) {
    lines.push(`  at requests the pipeline completes in process (bench:completion's replay gives a suggestion): ${pct(completable.filter((r) => r.shown).length, completable.length)}; within 500 ms: ${pct(completable.filter((r) => r.shownWithin500Ms).length, completable.length)}`);
  }
  lines.push(`keystroke to ghost text (DOM), pauses with a suggestion: ${ms(latencies(shown))}`);
  const fresh = shown.filter((result) => !result.carried);
  lines.push(`  new suggestions only (not the rest of one typed through): ${ms(latencies(fresh))}; typed through: ${shown.length - fresh.length}`);
  const closers = fresh.filter((result) => result.afterCursor.length > 0);
  lines.push(
    `  new suggestions with auto-closed text after the cursor (bench:completion's requests have none): ${ms(latencies(closers))}; ` +
      `with nothing after it: ${ms(latencies(fresh.filter((result) => result.afterCursor.length === 0)))}`,
  );
  const compared = results.filter((result) => result.inProcess);
  if (compared.length > 0) {
    lines.push(`bench:completion, same requests in process (after its own wait, no debounce, no editor): first shown ${ms(compared.map((r) => r.inProcess!.latencyMs))}; whole ${ms(compared.map((r) => r.inProcess!.completeMs))}; suggestion on ${pct(completable.length, compared.length)}`);
    const both = shown.filter((result) => result.inProcess);
    lines.push(`  pauses shown in the editor: editor ${ms(latencies(both))} against in process ${ms(both.map((r) => r.inProcess!.latencyMs))}`);
    const sameText = both.filter((result) => result.firstGhost.split('\n')[0].trim() === result.inProcess!.suggested);
    lines.push(`  the editor's first ghost text's first line equals the in-process suggestion: ${pct(sameText.length, both.length)}`);
  }
  const staged = shown.filter((result) => result.stages);
  if (staged.length > 0) {
    const stage = (name: keyof Stages) => Math.round(median(staged.map((result) => result.stages![name])));
    lines.push(
      `stages, medians over the ${staged.length} suggestions generated at their pause's position (the extension's log): ` +
        `keystroke to VS Code first asking the provider ${stage('firstAskMs')} ms, to it asking for the generating request ${stage('reaskMs')}, debounce ${stage('debounceMs')}, plan ${stage('planMs')}, ` +
        `engine queue and messages ${stage('queueMs')}, prefill ${stage('prefillMs')} (${stage('promptTokens')} prompt tokens, ${stage('cachedTokens')} cached), ` +
        `decode ${stage('decodeMs')} (${stage('generatedTokens')} tokens), pipeline end to ghost text in the DOM ${stage('afterMs')}`,
    );
    for (const name of ['firstAskMs', 'reaskMs', 'queueMs', 'prefillMs', 'decodeMs', 'afterMs'] as const) {
      lines.push(`  ${name}: ${ms(staged.map((result) => result.stages![name]))}`);
    }
  }
  const generated = results.flatMap((result) => result.logLines.filter((line) => line.source === 'generated' || line.outcome.startsWith('empty')).map((line) => ({ result, line })));
  const cold = generated.filter(({ line }) => (line.promptTokens ?? 0) > 0 && (line.cachedTokens ?? 0) < 0.5 * (line.promptTokens ?? 0));
  lines.push(
    `generations at the pauses' positions that found less than half their prompt in the KV cache: ${pct(cold.length, generated.length)}, ` +
      `of them with auto-closed text after the cursor: ${cold.filter(({ result }) => result.afterCursor.length > 0).length}`,
  );
  const sources = new Map<string, number>();
  for (const result of shown) {
    const source = result.carried ? 'typed through' : result.logLines.find((line) => line.outcome.startsWith('shown'))?.source ?? 'no log line here';
    sources.set(source, (sources.get(source) ?? 0) + 1);
  }
  lines.push(`where shown suggestions came from: ${[...sources].map(([source, count]) => `${source} ${count}`).join(', ')}`);
  const outcomes = new Map<string, number>();
  for (const result of results.filter((r) => !r.shown)) {
    const last = result.logLines.at(-1)?.outcome.replace(/".*"/, '"…"').replace(/\d+/g, 'N') ?? 'no log line at this position';
    outcomes.set(last, (outcomes.get(last) ?? 0) + 1);
  }
  lines.push(`pauses without a suggestion, by the extension's last log line there: ${[...outcomes].map(([why, count]) => `${count}× ${why}`).join('; ') || 'none'}`);
  const gaps = results.flatMap((result) => result.keyGapsMs);
  lines.push(`keys: ${gaps.length} gaps between keys, p50 ${Math.round(median(gaps))} ms (min ${Math.min(...gaps)}, max ${Math.max(...gaps)}); lines the editor changed while typing (auto-closing, suggest widget): ${results.filter((r) => r.diverged).length}; ghost text gone blank during a pause: ${results.filter((r) => r.blanks > 0).length}`);
  return lines;
}
