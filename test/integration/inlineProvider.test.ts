import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi, nextEvent } from './extension';

/** Opens a document with the cursor at its end and asks the editor for inline suggestions. */
async function triggerInlineSuggest(language: string, content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return document;
}

describe('inline completion provider', () => {
  it('is registered: the editor calls it for a TypeScript document', async () => {
    const api = await activatedApi();
    const document = await triggerInlineSuggest('typescript', 'function add(a: number, b: number) {\n  return ');
    const requested = nextEvent(api.inlineProvider.onDidRequest, (d) => d.uri.toString() === document.uri.toString(), 15_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await requested;
  });

  it('skips languages switched off in localGpt.inlineCompletions.languages', async () => {
    const api = await activatedApi();
    const document = await triggerInlineSuggest('plaintext', 'Dear diary, today ');
    const before = api.stats.snapshot().requests;
    const requested = nextEvent(api.inlineProvider.onDidRequest, (d) => d.uri.toString() === document.uri.toString(), 15_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await requested;
    assert.equal(api.stats.snapshot().requests, before, 'plaintext requests are not counted');
  });
});
