import type { CompletionRequest, PipelineOptions } from '../../../src/core/completion/types';

/** The extension's default settings as pipeline options. */
export const TEST_OPTIONS: PipelineOptions = {
  contextTokens: 768,
  fewShot: true,
  fewShotTokens: 256,
  maxLines: 8,
  maxNewTokens: 64,
  temperature: 0,
  useNgramCache: true,
};

/** A completion request in a TypeScript file with no other files open, for cache and pipeline tests. */
export function requestAt(prefix: string, suffix = '\n', overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return { path: 'src/a.ts', languageId: 'typescript', prefix, suffix, openFiles: [], mode: 'auto', ...overrides };
}
