import { refusalReason } from './sourceFilter';
import type { CompletionRequest, SourceText } from './types';

/**
 * The place where the n-gram cache of open files learns the user's code: before each
 * completion and prefill, the pipeline hands it the current file, the other open files and recent
 * edits, with secrets, huge, binary and minified files already left out. The engine side
 * implements it (tokenizing and updating incrementally); the pipeline only says what is open.
 */
export interface NgramDocuments {
  update(documents: readonly SourceText[]): void;
}

/**
 * The documents the n-gram cache may learn from for a request, none of them refused. The current
 * file goes in as two documents, the text before the cursor and the text after it: as one, the
 * cache would have seen the tokens before the cursor followed by the suffix, and would predict
 * the suffix (for a cursor at a line's end: the next line) instead of what is being typed.
 */
export function ngramDocumentsOf(request: CompletionRequest): SourceText[] {
  if (refusalReason({ path: request.path, text: request.prefix + request.suffix }) !== undefined) {
    return others(request);
  }
  const beforeCursor = { path: request.path, text: request.prefix };
  const afterCursor = { path: request.path, text: request.suffix };
  return [beforeCursor, afterCursor, ...others(request)];
}

/**
 * Other open files and recent edits of other files, none refused. The current file is listed in
 * pieces above; a recent edit of it would bring back what the split avoids: the range being typed
 * in goes on past the cursor, so the cache would learn that the typed text ends there and predict
 * the line's end (with the defaults, an empty suggestion at every pause).
 */
function others(request: CompletionRequest): SourceText[] {
  const openFiles = request.openFiles.filter((file) => file.path !== request.path);
  const recentEdits = (request.recentEdits ?? []).filter((edit) => edit.path !== request.path);
  return [...openFiles, ...recentEdits].filter((document) => refusalReason(document) === undefined);
}
