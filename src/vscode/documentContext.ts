import * as vscode from 'vscode';
import { looksBinary, looksLikeSecretPath, MAX_SOURCE_CHARS, refusalReason } from '../core/completion/sourceFilter';
import { MAX_OPEN_FILES, MAX_RECENT_EDITS } from '../core/completion/sourceLimits';
import type { CompletionRequest, SourceText } from '../core/completion/types';
import type { PendingInsertion } from './selectedCompletion';

/**
 * Turns the editor's state into the completion core's request: the text around the cursor, the
 * other open documents and the ranges edited lately. Huge documents are never copied whole (only
 * windows around the cursor are read), and secret, huge, binary and minified files never reach
 * the prompt.
 */

/** Characters before the cursor handed to the core; it keeps a token window of their end. */
export const PREFIX_CHARS = 64 * 1024;
/** Characters after the cursor handed to the core. */
export const SUFFIX_CHARS = 16 * 1024;
/** Lines of context kept around an edited range. */
const EDIT_CONTEXT_LINES = 3;
/** Characters before the cursor sampled to decide that the document is binary. */
const BINARY_SAMPLE_CHARS = 4096;

/** Only real files and unsaved editors; not output channels, git views, settings and the like. */
const SOURCE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

/** The label of a document in prompts: its path in the workspace (the model saw project paths). */
export function pathLabel(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
}

/** Length of a document without copying its text. */
export function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** Whether the text just before the cursor looks binary (a binary file opened as text). */
export function looksBinaryAt(document: vscode.TextDocument, position: vscode.Position): boolean {
  const offset = document.offsetAt(position);
  const start = document.positionAt(Math.max(0, offset - BINARY_SAMPLE_CHARS));
  const end = document.positionAt(offset + BINARY_SAMPLE_CHARS);
  return looksBinary(document.getText(new vscode.Range(start, end)));
}

/** Remembers which lines were edited lately, in any document, newest first. */
export class RecentEdits implements vscode.Disposable {
  private edits: { uri: string; startLine: number; endLine: number }[] = [];
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (SOURCE_SCHEMES.has(event.document.uri.scheme)) {
        for (const change of event.contentChanges) {
          this.record(event.document, change);
        }
      }
    });
  }

  private record(document: vscode.TextDocument, change: vscode.TextDocumentContentChangeEvent): void {
    const uri = document.uri.toString();
    const startLine = change.range.start.line;
    const endLine = startLine + change.text.split('\n').length - 1;
    // Typing along one range extends it rather than filling the list with one entry per key.
    const near = this.edits.findIndex((edit) => edit.uri === uri && startLine <= edit.endLine + 1 && endLine >= edit.startLine - 1);
    const merged = near >= 0 ? this.edits.splice(near, 1)[0] : undefined;
    this.edits.unshift({
      uri,
      startLine: Math.min(startLine, merged?.startLine ?? startLine),
      endLine: Math.max(endLine, merged?.endLine ?? endLine),
    });
    this.edits.length = Math.min(this.edits.length, MAX_RECENT_EDITS);
  }

  /**
   * The text of the remembered ranges (with a few lines around them) in documents still open,
   * except a range around the cursor: its text goes on past the cursor, so the n-gram cache and
   * the few-shot snippets would both learn that what was typed so far ends there, and predict the
   * line's end instead of its rest (with the defaults, no suggestion at all while typing). The
   * current file reaches the model as the prompt's prefix and suffix instead.
   */
  sources(cursor?: { readonly document: vscode.TextDocument; readonly line: number }): SourceText[] {
    const open = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
    const sources: SourceText[] = [];
    for (const edit of this.edits) {
      const document = open.get(edit.uri);
      if (!document || looksLikeSecretPath(document.uri.path) || documentLength(document) > MAX_SOURCE_CHARS) {
        continue;
      }
      const first = Math.max(0, edit.startLine - EDIT_CONTEXT_LINES);
      const last = Math.min(document.lineCount - 1, edit.endLine + EDIT_CONTEXT_LINES);
      if (document === cursor?.document && first <= cursor.line && cursor.line <= last) {
        continue;
      }
      const text = document.getText(new vscode.Range(first, 0, last, document.lineAt(last).text.length));
      const source = { path: pathLabel(document), text };
      if (refusalReason(source) === undefined) {
        sources.push(source);
      }
    }
    return sources;
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/**
 * Each open document's text and verdict, kept while its version holds: a request does not copy
 * every open file again (20 files of 300 KB are 6 MB a keystroke), and the same string each time
 * lets the core's caches compare texts by reference.
 */
const openFileCache = new WeakMap<vscode.TextDocument, { readonly version: number; readonly source: SourceText | undefined }>();

function openFileSource(document: vscode.TextDocument): SourceText | undefined {
  const cached = openFileCache.get(document);
  if (cached?.version === document.version) {
    return cached.source;
  }
  const text = document.getText();
  const candidate = { path: pathLabel(document), text };
  const source = refusalReason(candidate) === undefined ? candidate : undefined;
  openFileCache.set(document, { version: document.version, source });
  return source;
}

/** The other open documents the core may take few-shot snippets from. */
export function openFileSources(current: vscode.TextDocument): SourceText[] {
  const sources: SourceText[] = [];
  for (const document of vscode.workspace.textDocuments) {
    if (sources.length >= MAX_OPEN_FILES) {
      break;
    }
    if (
      document === current ||
      document.isClosed ||
      !SOURCE_SCHEMES.has(document.uri.scheme) ||
      looksLikeSecretPath(document.uri.path) ||
      documentLength(document) > MAX_SOURCE_CHARS
    ) {
      continue;
    }
    const source = openFileSource(document);
    if (source) {
      sources.push(source);
    }
  }
  return sources;
}

/**
 * The core's request for a cursor position; a long document is clipped around the cursor. With an
 * insertion (the suggest widget's selected item), the request is for the text as if it were in.
 */
export function completionRequestFor(
  document: vscode.TextDocument,
  position: vscode.Position,
  recentEdits: RecentEdits | undefined,
  insertion?: PendingInsertion,
): CompletionRequest {
  const prefixEnd = insertion?.range.start ?? position;
  const suffixStart = insertion?.range.end ?? position;
  const offset = document.offsetAt(prefixEnd);
  const prefixOffset = Math.max(0, offset - PREFIX_CHARS);
  const prefix = document.getText(new vscode.Range(document.positionAt(prefixOffset), prefixEnd)) + (insertion?.text ?? '');
  const suffixOffset = document.offsetAt(suffixStart);
  const suffix = document.getText(new vscode.Range(suffixStart, document.positionAt(suffixOffset + SUFFIX_CHARS)));
  return {
    path: pathLabel(document),
    languageId: document.languageId,
    prefix,
    prefixOffset,
    suffix,
    openFiles: openFileSources(document),
    recentEdits: recentEdits?.sources({ document, line: position.line }) ?? [],
    mode: 'auto',
  };
}
