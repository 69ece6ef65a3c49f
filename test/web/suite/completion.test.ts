import * as assert from './assert';
import * as vscode from 'vscode';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { optionsFromSettings } from '../../../src/core/completion/pipelineOptions';
import type { LocalGptWebApi } from '../../../src/web/extension';
import { currentSettings } from '../../../src/vscode/config';
import { completionRequestFor } from '../../../src/vscode/documentContext';
import type { InlineAnswer } from '../../../src/vscode/inlineProvider';
import { activatedApi, FIXTURE_MODEL, useFixtureModel, withSettings, workspaceUri } from './webTestSupport';

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
 * Inline completions end to end in the browser: type into a file, trigger, wait for the ghost
 * text, commit it, and compare with what the core pipeline computes on a second web worker for
 * the same cursor (greedy decoding makes both deterministic; few-shot snippets are off so other
 * open documents cannot change the prompt).
 */
describe('inline completions in the web host', function () {
  this.timeout(300_000);
  let restore: () => Promise<void> = async () => undefined;

  before(async () => {
    restore = await withSettings({ 'fewShot.enable': false, 'inlineCompletions.maxLines': 4 });
    await useFixtureModel(await activatedApi());
  });
  after(async () => restore());

  it('types, triggers and commits exactly what the pipeline computes', async () => {
    const api = await activatedApi();
    const state = await useFixtureModel(api);
    const uri = workspaceUri('src/typedInBrowser.ts');
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    for (const text of TYPED) await vscode.commands.executeCommand('type', { text });
    const typed = editor.document.getText();
    const engine = await api.models.startEngine(FIXTURE_MODEL.split('/'), state.backend);
    let expected: string | undefined;
    try {
      const pipeline = new CompletionPipeline(engine, () => optionsFromSettings(currentSettings(editor.document)));
      expected = (await pipeline.complete(completionRequestFor(editor.document, editor.selection.active, undefined)))?.completion;
    } finally {
      await engine.dispose();
    }
    const viaExtension = await api.pipelines.current()?.complete(completionRequestFor(editor.document, editor.selection.active, undefined));
    assert.ok(expected, `the pipeline suggests something after ${JSON.stringify(typed)}; the extension's pipeline: ${JSON.stringify(viaExtension)}`);
    assert.equal(viaExtension?.completion, expected, `extension pipeline ${JSON.stringify(viaExtension)}`);
    const shown = nextAnswer(api, editor.document, (answer) => answer.text === expected, 180_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await shown;
    const offset = editor.document.offsetAt(editor.selection.active);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    assert.equal(editor.document.getText(), typed.slice(0, offset) + expected + typed.slice(offset));
  });
});
