/** Helpers for the command tests (not a test file itself). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerEngineClient } from '../../src/client/workerEngineClient';
import type { CompletionEngine } from '../../src/core/engine';
import { activatedApi, ourExtension } from './extension';
import { openWorkspaceFile } from './inlineTestSupport';

/** Opens an untitled document with `content` and puts the selection at [anchor, active] offsets. */
export async function editorWith(content: string, language = 'typescript', anchor?: number, active = anchor): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(document);
  if (anchor !== undefined) {
    editor.selection = new vscode.Selection(document.positionAt(anchor), document.positionAt(active!));
  }
  return editor;
}

/**
 * Opens a file of the test workspace (a scratch copy) holding `content`, cursor at the end. The
 * prompt names the file's path, so a fixed path keeps a real model's output reproducible, where
 * untitled documents are numbered in the order the suite opens them.
 */
export async function workspaceFileEditor(relativePath: string, content: string): Promise<vscode.TextEditor> {
  const editor = await openWorkspaceFile(relativePath, content);
  const end = editor.document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Runs `body` with the commands on `engine`, then gives them back the model service's. */
export async function withCommandEngine<T>(engine: CompletionEngine, body: () => PromiseLike<T>): Promise<T> {
  const api = await activatedApi();
  const use = api.commands.engine.use(engine);
  try {
    return await body();
  } finally {
    use.dispose();
  }
}

/** Undo, as the user does it, with the editor focused. */
export async function undo(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('undo');
}

/** Resolves with the first change to `document` (rejects after timeoutMs). */
export function nextChange(document: vscode.TextDocument, timeoutMs = 30_000): Promise<vscode.TextDocumentChangeEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`The document did not change within ${timeoutMs} ms.`));
    }, timeoutMs);
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && event.contentChanges.length > 0) {
        clearTimeout(timer);
        listener.dispose();
        resolve(event);
      }
    });
  });
}

/** A real inference worker (dist/worker.js) on a model folder, loaded; dispose it when done. */
export async function realEngine(dir: string): Promise<WorkerEngineClient> {
  const dist = path.join(ourExtension().extensionPath, 'dist');
  const client = new WorkerEngineClient({ workerScript: path.join(dist, 'worker.js'), load: { modelDir: dir, wasmDir: dist, threads: 1 } });
  await client.modelInfo();
  return client;
}

/**
 * Waits for a command that opened a quick input (prompt box, simple file dialog) to resolve,
 * dismissing the input as the user's Escape would, and resolves with the command's result.
 */
export async function dismissQuickInput<T>(running: Thenable<T>, timeoutMs = 10_000): Promise<T> {
  let settled = false;
  void running.then(() => (settled = true));
  for (const deadline = Date.now() + timeoutMs; !settled && Date.now() < deadline; ) {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return running;
}
