import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkerEngineClient } from '../../src/client/workerEngineClient';
import type { FewShotResult } from '../../src/vscode/commands/fewShotTransform';
import type { EditorGenerationResult } from '../../src/vscode/commands/streamIntoEditor';
import { editorWith, realEngine, undo, withCommandEngine, workspaceFileEditor } from './commandTestSupport';
import { repoModel, withSettings } from './inlineTestSupport';
import { activatedApi, nextEvent } from './extension';

const ORIGINAL = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const GENERATE_PROMPTS = ['multiply two numbers', 'a function that subtracts two numbers', 'sort a list of names'];

/**
 * The commands on the real inference worker (dist/worker.js) with the tiny fixture model: what
 * it writes is gibberish, so these tests check the plumbing (streaming, token limits, one undo
 * step, statistics), not the code's quality.
 */
describe('commands on the real worker with models/lgc-fixture', function () {
  this.timeout(180_000);
  const model = repoModel('lgc-fixture');
  let engine: WorkerEngineClient | undefined;

  before(async function () {
    if ('missing' in model) {
      this.skip();
      return;
    }
    await activatedApi();
    engine = await realEngine(model.dir);
  });

  after(async () => {
    await engine?.dispose();
  });

  it('Generate from Prompt streams the model output at the cursor; one undo restores the file', async () => {
    const api = await activatedApi();
    const before = api.stats.snapshot().generatedTokens;
    const editor = await workspaceFileEditor('src/math.ts', ORIGINAL);
    const restore = await withSettings({ 'prompt.maxTokens': 24 });
    try {
      // A gibberish model may end a prompt at once (EOS first): the first prompt it writes after is used.
      const tried: string[] = [];
      let result: EditorGenerationResult | undefined;
      for (const prompt of GENERATE_PROMPTS) {
        result = await withCommandEngine(engine!, () => vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt }));
        assert.ok(!('error' in result), JSON.stringify(result));
        if (result.generatedTokens > 0) break;
        assert.equal(result.stopReason, 'eos', 'only an immediate EOS may write nothing');
        assert.equal(editor.document.getText(), ORIGINAL);
        tried.push(prompt);
      }
      assert.ok(result && !('error' in result) && result.generatedTokens > 0, `the model wrote nothing after any of ${JSON.stringify(tried)} (add a prompt)`);
      assert.ok(['eos', 'max-tokens'].includes(result.stopReason), result.stopReason);
      assert.ok(result.generatedTokens <= 24, `${result.generatedTokens} tokens`);
      assert.equal(editor.document.getText(), ORIGINAL + result.inserted);
      assert.equal(api.stats.snapshot().generatedTokens, before + result.generatedTokens, 'counted for tokens/s');
      await undo(editor);
      assert.equal(editor.document.getText(), ORIGINAL);
    } finally {
      await restore();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('Continue from Cursor stops at localGpt.prompt.maxTokens', async () => {
    const editor = await editorWith(ORIGINAL + 'export function sub', 'typescript', (ORIGINAL + 'export function sub').length);
    const restore = await withSettings({ 'prompt.maxTokens': 16 });
    try {
      const result = await withCommandEngine(engine!, () => vscode.commands.executeCommand<EditorGenerationResult>('localGpt.continueFromCursor'));
      assert.ok(!('error' in result), JSON.stringify(result));
      assert.ok(result.generatedTokens <= 16, `${result.generatedTokens} tokens`);
      assert.equal(editor.document.getText(), ORIGINAL + 'export function sub' + result.inserted);
    } finally {
      await restore();
    }
  });

  it('Few-Shot Transform runs each input through the real engine and fills lines in the pattern format', async function () {
    const selection = 'getUserName → get_user_name\nisValid → is_valid\nloadConfigFile\n';
    const editor = await editorWith(selection, 'plaintext', 0, selection.length);
    const result = await withCommandEngine(engine!, () => vscode.commands.executeCommand<FewShotResult>('localGpt.fewShotTransform'));
    assert.ok(!('error' in result), JSON.stringify(result));
    assert.equal(result.stopReason, 'done');
    const [line] = result.lines;
    this.test!.title += `: ${JSON.stringify(line.output)}`;
    const text = editor.document.lineAt(2).text;
    assert.equal(text, line.output === undefined ? 'loadConfigFile' : `loadConfigFile → ${line.output}`);
  });
});

/**
 * End to end through the model service: Select Model points localGpt.model.path at the fixture,
 * the service loads it in its worker and the status bar shows it ready with its figures.
 */
describe('Select Model through the model service', function () {
  this.timeout(180_000);

  it('loads the chosen model and the status bar shows it ready, with model, backend and threads', async function () {
    const api = await activatedApi();
    const model = repoModel('lgc-fixture');
    if ('missing' in model || api.commands.statusBar.modelStatus.kind === 'error' && /model service is not running/.test(api.commands.statusBar.modelStatus.message)) {
      this.skip();
      return;
    }
    const previous = vscode.workspace.getConfiguration('localGpt').inspect('model.path')?.globalValue;
    try {
      const isLoaded = () => {
        const status = api.commands.statusBar.modelStatus;
        return status.kind === 'ready' && status.modelDir === model.dir;
      };
      const ready = nextEvent(api.commands.statusBar.onDidChange, isLoaded, 150_000);
      await vscode.commands.executeCommand('localGpt.selectModel', vscode.Uri.file(model.dir));
      // Already loaded (an earlier test chose it): the setting did not change, nothing restarts.
      if (isLoaded()) {
        ready.catch(() => undefined);
      } else {
        await ready;
      }
      const view = api.commands.statusBar.view;
      assert.ok(['ready', 'disabled'].includes(view.state), view.state);
      assert.match(view.tooltip, /Model: lgc-fixture/);
      assert.match(view.tooltip, /Backend: WASM/);
      assert.match(view.tooltip, /Threads: \d+/);

      // The commands now run on the service's engine, which inline completions share.
      const editor = await workspaceFileEditor('src/math.ts', ORIGINAL);
      const result = await vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'multiply two numbers' });
      assert.ok(!('error' in result), JSON.stringify(result));
      assert.ok(['eos', 'max-tokens'].includes(result.stopReason), `not cut short by inline completion or prefill requests: ${result.stopReason}`);
      assert.equal(editor.document.getText(), ORIGINAL + result.inserted);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await vscode.workspace.getConfiguration('localGpt').update('model.path', previous, vscode.ConfigurationTarget.Global);
    }
  });
});
