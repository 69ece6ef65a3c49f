import * as assert from './assert';
import * as vscode from 'vscode';
import type { LocalGptWebApi } from '../../../src/web/extension';
import { completionRequestFor } from '../../../src/vscode/documentContext';
import type { InlineAnswer } from '../../../src/vscode/inlineProvider';
import { activatedApi, useFixtureModel, withSettings, workspaceUri } from './webTestSupport';

const TYPED = ['export function sum(values: number[]): number {\n', 'let total = 0;\n', 'for (const value of values) {\n'];

function nextAnswer(api: LocalGptWebApi, document: vscode.TextDocument, accept: (answer: InlineAnswer) => boolean, timeoutMs: number): Promise<InlineAnswer> {
  const seen: string[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const listeners: vscode.Disposable[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const listener of listeners) listener.dispose();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`No matching answer within ${timeoutMs} ms; requests and answers: ${seen.join(', ')}; language ${document.languageId}; model: ${api.models.state.kind}`));
    }, timeoutMs);
    listeners.push(
      api.inlineProvider.onDidRequest((requested) => requested === document && seen.push(`request at ${Date.now() - started} ms`)),
      api.inlineProvider.onDidAnswer((answer) => {
        if (answer.document !== document) return;
        seen.push(`answer ${JSON.stringify(answer.text)} after ${answer.durationMs} ms`);
        if (accept(answer)) {
          done();
          resolve(answer);
        }
      }),
    );
  });
}

/**
 * Inline completions end to end in the browser: type into a file, ask the extension's completion
 * pipeline for the cursor, trigger the inline suggestion, wait until the provider shows that text
 * and commit it into the document (greedy decoding; few-shot snippets off).
 */
describe('inline completions in the web host', function () {
  this.timeout(300_000);
  let restore: () => Promise<void> = async () => undefined;

  before(async () => {
    restore = await withSettings({ 'fewShot.enable': false, 'inlineCompletions.maxLines': 4 });
    await useFixtureModel(await activatedApi());
  });
  after(async () => restore());

  it('types, triggers and commits the suggestion the pipeline computes', async () => {
    const api = await activatedApi();
    await useFixtureModel(api);
    const uri = workspaceUri('src/typedInBrowser.ts');
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    for (const text of TYPED) await vscode.commands.executeCommand('type', { text });
    const typed = editor.document.getText();
    // The extension's own pipeline, which the provider shares: its KV cache already holds this
    // prompt (prefill ahead), and the int8 model's activation quantization depends on how tokens
    // were split between runs, so a cold second engine may decode other tokens.
    const result = await api.pipelines.current()?.complete(completionRequestFor(editor.document, editor.selection.active, undefined));
    const expected = result?.completion;
    assert.ok(expected, `the pipeline suggests something after ${JSON.stringify(typed)}: ${JSON.stringify(result)}`);
    const shown = nextAnswer(api, editor.document, (answer) => answer.text === expected, 180_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await shown;
    const offset = editor.document.offsetAt(editor.selection.active);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    assert.equal(editor.document.getText(), typed.slice(0, offset) + expected + typed.slice(offset));
  });
});
