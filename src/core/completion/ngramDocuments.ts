import { refusalReason } from './sourceFilter';
import type { CompletionRequest, SourceText } from './types';

/**
 * The place where the n-gram cache of open files (issue 8) learns the user's code: before each
 * completion and prefill, the pipeline hands it the current file, the other open files and recent
 * edits, with secrets, huge, binary and minified files already left out. The engine side
 * implements it (tokenizing and updating incrementally); the pipeline only says what is open.
 */
export interface NgramDocuments {
  update(documents: readonly SourceText[]): void;
}

/** The documents the n-gram cache may learn from for a request, none of them refused. */
export function ngramDocumentsOf(request: CompletionRequest): SourceText[] {
  const current = { path: request.path, text: request.prefix + request.suffix };
  return [current, ...request.openFiles, ...(request.recentEdits ?? [])].filter((document) => refusalReason(document) === undefined);
}
