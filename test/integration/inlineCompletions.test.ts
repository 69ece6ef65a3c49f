import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi } from './extension';
import { AnswerLog, expectedCompletion, fp32View, openWorkspaceFile, repoModel, typeText, useModel, withSettings } from './inlineTestSupport';

/**
 * Inline completions end to end in the real extension host, with real models: type into a
 * TypeScript file, trigger, wait for the suggestion, commit it, and compare the document with
 * what the core pipeline computes for the same cursor on its own worker. Greedy decoding
 * (temperature 0, the default) makes both deterministic. Few-shot snippets and the n-gram cache
 * are off: both learn from the documents open and edited in this host (other tests' too), which a
 * separate pipeline cannot replay.
 */

const MODELS = [
  { name: 'lgc-fixture', file: 'src/typedByFixture.ts' },
  { name: 'lgc-small', file: 'src/typedBySmall.ts' },
] as const;

const TYPED = ['export function sum(values: number[]): number {\n', 'let total = 0;\n', 'for (const value of values) {\n'];

for (const model of MODELS) {
  const found = repoModel(model.name);
  const title = `inline completions with ${model.name}`;
  if ('missing' in found) {
    describe(title, () => {
      it(`skipped: ${found.missing}`, function () {
        this.skip();
      });
    });
    continue;
  }

  describe(title, function () {
    this.timeout(240_000);
    let restore: () => Promise<void> = async () => undefined;
    let modelDir = found.dir;

    before(async () => {
      modelDir = fp32View(found.dir);
      restore = await withSettings({ 'fewShot.enable': false, 'cache.enable': false, 'inlineCompletions.maxLines': 4, 'model.path': undefined });
      await useModel(await activatedApi(), modelDir);
    });
    after(async () => {
      await restore();
    });

    it('types, triggers and commits exactly what the pipeline computes', async () => {
      const answers = new AnswerLog(await activatedApi());
      try {
        const editor = await openWorkspaceFile(model.file, '');
        await typeText(TYPED);
        const typed = editor.document.getText();
        const cursor = editor.selection.active;
        const expected = await expectedCompletion(editor, modelDir);
        assert.ok(expected, `the pipeline suggests something after ${JSON.stringify(typed)} (pick another prompt if the model changed)`);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await answers.latestMatching(editor.document, (answer) => answer.position.isEqual(cursor) && answer.text === expected, 120_000);
        const offset = editor.document.offsetAt(cursor);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        assert.equal(editor.document.getText(), typed.slice(0, offset) + expected + typed.slice(offset));
      } finally {
        answers.dispose();
      }
    });
  });
}

