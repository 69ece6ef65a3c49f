import type { CompletionPipeline } from '../core/completion/completionPipeline';
import { type InputLine, overlongMessage } from './lineReader';
import { parseRequestLine, type RequestId } from './requestLine';

/**
 * `local-gpt complete`: one JSON line in, one JSON line out, in order. Requests run one after the
 * other through the same CompletionPipeline the extension uses (its cache included), so each is
 * answered rather than superseded by the next.
 */

export interface CompletionRecord {
  readonly id: RequestId;
  readonly completion: string;
  readonly latencyMs: number;
  readonly promptTokens: number;
  readonly generatedTokens: number;
}

export interface ErrorRecord {
  readonly id: RequestId;
  readonly error: string;
}

/** Latency is reported to a tenth of a millisecond. */
const LATENCY_DECIMALS = 1;

export async function runComplete(
  lines: AsyncIterable<InputLine>,
  pipeline: CompletionPipeline,
  write: (record: CompletionRecord | ErrorRecord) => void,
): Promise<{ served: number; failed: number }> {
  let served = 0;
  let failed = 0;
  for await (const line of lines) {
    if (typeof line === 'string' && line.trim().length === 0) {
      continue;
    }
    // A line over the limit was never read whole, so its id is unknown.
    const record = typeof line === 'string' ? await answer(line, pipeline) : { id: null, error: overlongMessage(line) };
    write(record);
    if ('error' in record) {
      failed++;
    } else {
      served++;
    }
  }
  return { served, failed };
}

async function answer(line: string, pipeline: CompletionPipeline): Promise<CompletionRecord | ErrorRecord> {
  const parsed = parseRequestLine(line);
  if (!parsed.ok) {
    return { id: parsed.id, error: parsed.error };
  }
  const started = performance.now();
  try {
    const result = await pipeline.complete(parsed.request);
    return {
      id: parsed.id,
      completion: result?.completion ?? '',
      latencyMs: Number((performance.now() - started).toFixed(LATENCY_DECIMALS)),
      promptTokens: result?.promptTokens ?? 0,
      generatedTokens: result?.generatedTokens ?? 0,
    };
  } catch (error) {
    return { id: parsed.id, error: error instanceof Error ? error.message : String(error) };
  }
}
