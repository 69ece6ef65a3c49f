import * as fs from 'node:fs';

/**
 * The extension's own line per inline request in its 'Local GPT' log (src/vscode/requestLog.ts,
 * debug level), read back: what became of the request and where its time went. The log's
 * timestamps are local wall-clock time with milliseconds, the same clock as the page's
 * performance.timeOrigin + performance.now() on this machine.
 */
export interface RequestLogLine {
  /** Epoch ms when the line was written: just after the pipeline's end. */
  readonly epochMs: number;
  readonly id: number;
  /** `path:line:column` (1-based) of the cursor. */
  readonly where: string;
  /** shown / not shown / empty... / cancelled... / failed... */
  readonly outcome: string;
  readonly source?: string;
  readonly promptTokens?: number;
  readonly cachedTokens?: number;
  readonly generatedTokens?: number;
  readonly planMs?: number;
  readonly engineMs?: number;
  readonly prefillMs?: number;
  readonly decodeMs?: number;
  readonly debounceMs?: number;
  /** From the end of the debounce to the pipeline's end (the stream's duration). */
  readonly totalMs?: number;
}

const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[\w+\] inline #(\d+) \S+ (\S+): (.*)$/;

function numberOf(pattern: RegExp, text: string, group = 1): number | undefined {
  const match = pattern.exec(text);
  return match?.[group] === undefined ? undefined : Number(match[group]);
}

export function parseRequestLine(line: string): RequestLogLine | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, ms] = match.slice(1, 8).map(Number);
  const rest = match[10];
  const outcome = rest.split(' | ')[0];
  const generated = /^(?:shown|not shown) .*\((generated|cache|in-flight)\)/.exec(outcome);
  return {
    epochMs: new Date(year, month - 1, day, hour, minute, second, ms).getTime(),
    id: Number(match[8]),
    where: match[9],
    outcome,
    source: generated?.[1],
    promptTokens: numberOf(/prompt (\d+) tokens/, rest),
    cachedTokens: numberOf(/\((\d+) cached\)/, rest),
    generatedTokens: numberOf(/generated (\d+)/, rest),
    planMs: numberOf(/plan (\d+) ms/, rest),
    engineMs: numberOf(/engine (\d+) ms/, rest),
    prefillMs: numberOf(/prefill (\d+),/, rest),
    decodeMs: numberOf(/decode (\d+)\)/, rest),
    debounceMs: numberOf(/debounce (\d+) ms/, rest),
    totalMs: numberOf(/total (\d+) ms/, rest) ?? numberOf(/ after (\d+) ms/, rest),
  };
}

export function readRequestLog(file: string | undefined): RequestLogLine[] {
  if (!file || !fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(parseRequestLine)
    .filter((line): line is RequestLogLine => line !== undefined);
}

/**
 * The stages of one pause's suggestion, from the keystroke's time and the extension's lines at the
 * pause's cursor position: what VS Code took before it first asked the provider (its own delay,
 * the suggest widget, the message to the extension host), the time until it asked for the request
 * that generated the text (VS Code cancels and asks again, e.g. when the suggest widget's item
 * changes), then that request's debounce, prompt planning, the engine's queue and messages, its
 * prefill and decode, and what came after the pipeline's end until the DOM showed the text.
 * The stages add up to the DOM latency.
 */
export interface Stages {
  readonly firstAskMs: number;
  readonly reaskMs: number;
  readonly debounceMs: number;
  readonly planMs: number;
  readonly queueMs: number;
  readonly prefillMs: number;
  readonly decodeMs: number;
  readonly afterMs: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly generatedTokens: number;
}

/** When VS Code asked the provider for a logged request (its debounce and run end at the line's time). */
export function askedAt(line: RequestLogLine): number | undefined {
  return line.totalMs === undefined || line.debounceMs === undefined ? undefined : line.epochMs - line.totalMs - line.debounceMs;
}

/** `lines` are those at the pause's position; the generating one is the last whose text the model wrote for it. */
export function stagesOf(lines: readonly RequestLogLine[], keyEpochMs: number, ghostEpochMs: number): Stages | undefined {
  const generating = lines.filter((line) => line.source === 'generated').at(-1);
  if (!generating) return undefined;
  const { debounceMs, planMs, engineMs, prefillMs, decodeMs } = generating;
  const asked = askedAt(generating);
  const firstAsked = Math.min(...lines.map(askedAt).filter((at): at is number => at !== undefined));
  if (asked === undefined || debounceMs === undefined || planMs === undefined || engineMs === undefined || prefillMs === undefined || decodeMs === undefined) {
    return undefined;
  }
  return {
    firstAskMs: firstAsked - keyEpochMs,
    reaskMs: asked - firstAsked,
    debounceMs,
    planMs,
    queueMs: engineMs - prefillMs - decodeMs,
    prefillMs,
    decodeMs,
    afterMs: ghostEpochMs - generating.epochMs,
    promptTokens: generating.promptTokens ?? 0,
    cachedTokens: generating.cachedTokens ?? 0,
    generatedTokens: generating.generatedTokens ?? 0,
  };
}
