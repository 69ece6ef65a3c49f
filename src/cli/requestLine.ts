import { MAX_OPEN_FILES, MAX_RECENT_EDITS, usableSources } from '../core/completion/sourceLimits';
import type { CompletionRequest, RequestedMode, SourceText } from '../core/completion/types';

/**
 * One JSON line of `local-gpt complete` input, checked field by field so a bad line is answered
 * with an error that says what is wrong instead of stopping the run. Open files and recent edits
 * are capped as the extension caps them (sourceLimits.ts).
 */

export type RequestId = string | number | null;

export type ParsedLine = { ok: true; id: RequestId; request: CompletionRequest } | { ok: false; id: RequestId; error: string };

const MODES: readonly RequestedMode[] = ['line', 'auto'];

export function parseRequestLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, id: null, error: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: 'a request must be a JSON object' };
  }
  const fields = value as Record<string, unknown>;
  const id = typeof fields.id === 'string' || typeof fields.id === 'number' ? fields.id : null;
  const problem = problemWith(fields);
  if (problem !== undefined) {
    return { ok: false, id, error: problem };
  }
  const request: CompletionRequest = {
    path: fields.path as string,
    languageId: fields.languageId as string,
    prefix: fields.prefix as string,
    suffix: (fields.suffix as string | undefined) ?? '',
    openFiles: usableSources((fields.openFiles as SourceText[] | undefined) ?? [], MAX_OPEN_FILES, fields.path as string),
    recentEdits: usableSources((fields.recentEdits as SourceText[] | undefined) ?? [], MAX_RECENT_EDITS),
    mode: (fields.mode as RequestedMode | undefined) ?? 'auto',
  };
  return { ok: true, id, request };
}

function problemWith(fields: Record<string, unknown>): string | undefined {
  if (fields.id !== undefined && typeof fields.id !== 'string' && typeof fields.id !== 'number') {
    return '"id" must be a string or a number';
  }
  for (const name of ['path', 'languageId', 'prefix']) {
    if (typeof fields[name] !== 'string') {
      return `"${name}" must be a string`;
    }
  }
  if (fields.suffix !== undefined && typeof fields.suffix !== 'string') {
    return '"suffix" must be a string';
  }
  if (fields.mode !== undefined && !MODES.includes(fields.mode as RequestedMode)) {
    return `"mode" must be one of ${MODES.map((mode) => `"${mode}"`).join(', ')}`;
  }
  for (const name of ['openFiles', 'recentEdits']) {
    if (fields[name] !== undefined && !isSourceList(fields[name])) {
      return `"${name}" must be an array of {"path": string, "text": string}`;
    }
  }
  return undefined;
}

function isSourceList(value: unknown): value is SourceText[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && typeof item.path === 'string' && typeof item.text === 'string');
}
