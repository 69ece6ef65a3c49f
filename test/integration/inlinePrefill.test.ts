import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InlineCompletionEvent } from '../../src/vscode/completionEvents';
import { activatedApi, nextEvent } from './extension';
import { openWorkspaceFile, repoModel, useModel, withSettings } from './inlineTestSupport';

/**
 * Prefill ahead: focusing an editor warms the worker's KV cache with the prompt of its cursor, so
 * the next suggestion there reuses the whole prompt instead of prefilling it. The file is opened
 * with its text (nothing asks for a suggestion), then another file takes the cache, then focus
 * comes back: only prefill ahead can have put this prompt into the cache.
 */
const fixture = repoModel('lgc-fixture');

(('missing' in fixture) ? describe.skip : describe)('prefill ahead (lgc-fixture)', function () {
  this.timeout(240_000);
  let restore: () => Promise<void> = async () => undefined;

  before(async () => {
    // Few-shot snippets and the n-gram cache off: the prompt then depends on this file only.
    restore = await withSettings({ 'fewShot.enable': false, 'cache.enable': false, 'model.path': undefined });
    await useModel(await activatedApi(), (fixture as { dir: string }).dir);
  });
  after(async () => {
    await restore();
  });

  it('focusing an editor warms the cache: its next suggestion reuses the whole prompt', async () => {
    const api = await activatedApi();
    const prefilled = (document: vscode.TextDocument) => nextEvent(api.prefillAhead.onDidPrefill, (done) => done === document, 60_000);
    const text = 'export function product(values: number[]): number {\n    let result = 1;\n    \n}';
    const editor = await openWorkspaceFile('src/prefillTarget.ts', text);
    const cursor = new vscode.Position(2, 4);
    editor.selection = new vscode.Selection(cursor, cursor);
    const other = await openWorkspaceFile('src/prefillOther.ts', 'const unrelated = [1, 2, 3].map((n) => n * 2);\n');
    await prefilled(other.document);
    const back = prefilled(editor.document);
    await vscode.window.showTextDocument(editor.document);
    assert.ok(editor.selection.active.isEqual(cursor), 'the cursor stayed where the suggestion is asked for');
    await back;
    const generated = nextEvent(api.completionEvents.onDidRecord, (event: InlineCompletionEvent) => event.kind === 'generated', 60_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const event = (await generated) as Extract<InlineCompletionEvent, { kind: 'generated' }>;
    // The engine always runs the prompt's last token again, to get the logits to start from.
    assert.ok(event.reusedPromptTokens >= event.promptTokens - 1, `reused ${event.reusedPromptTokens} of ${event.promptTokens} prompt tokens`);
  });
});
