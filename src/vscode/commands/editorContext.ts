import * as vscode from 'vscode';
import type { CursorContext } from '../../core/prompts/codePrompt';

/** The editor a command works in, or an error that says what to do. */
export function activeEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    throw new Error('Open a file and place the cursor where the code should go, then run the command again.');
  }
  return editor;
}

/** The text before and after `range`; the prompt builders cut it to their budget. */
export function cursorContextOf(editor: vscode.TextEditor, range: vscode.Range): CursorContext {
  const document = editor.document;
  const end = document.lineAt(document.lineCount - 1).range.end;
  return {
    path: vscode.workspace.asRelativePath(document.uri, false),
    languageId: document.languageId,
    prefix: document.getText(new vscode.Range(new vscode.Position(0, 0), range.start)),
    suffix: document.getText(new vscode.Range(range.end, end)),
  };
}
