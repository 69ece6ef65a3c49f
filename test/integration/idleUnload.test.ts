import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelState } from '../../src/vscode/workerModelService';
import { activatedApi, nextEvent, reportLine } from './extension';
import { bundledModelReady, openWorkspaceFile, placeCursor, repoModel, withSettings } from './inlineTestSupport';

/**
 * One model per machine, not per window: each window's extension host ends its worker after
 * `localGpt.engine.idleUnloadMinutes` without a request, the status bar says so, and the next
 * request loads the model again. Prints the extension host's memory before and after, and the
 * reload time (figures, not asserted: they depend on the machine).
 */
const bundled = repoModel('lgc-small');

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

describe('idle unload', function () {
  this.timeout(240_000);

  it('unloads the model after the idle time and loads it again on the next request', async function () {
    if ('missing' in bundled) {
      this.skip();
    }
    const api = await activatedApi();
    const restore = await withSettings({ 'engine.idleUnloadMinutes': 0.05, 'model.path': undefined });
    try {
      await bundledModelReady(api);
      const opened = await openWorkspaceFile('src/idleUnload.js', 'const todos = [{ id: 1, done: true }];\n\nfunction isDone(item) {\n  return ite');
      const editor = await placeCursor(opened, opened.document.positionAt(opened.document.getText().length));
      api.models.noteActivity();
      const loadedRss = process.memoryUsage().rss;
      const idle = await nextEvent(api.models.onDidChangeState, (state) => state.kind === 'idle', 60_000);
      assert.equal(idle.kind, 'idle');
      assert.equal(api.models.engine, undefined, 'no worker while idle');
      assert.match(api.commands.statusBar.view.tooltip, /unloaded after 0.05 min without a request/);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idleRss = process.memoryUsage().rss;

      const reloadStarted = Date.now();
      const ready = nextEvent(api.models.onDidChangeState, (state: ModelState) => state.kind === 'ready' || state.kind === 'error', 120_000);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      const state = await ready;
      assert.equal(state.kind, 'ready', JSON.stringify(state));
      const reloadMs = Date.now() - reloadStarted;
      // The loaded model answers the next keystroke (the request that woke it found none ready).
      await vscode.workspace.getConfiguration('localGpt').update('engine.idleUnloadMinutes', 15, vscode.ConfigurationTarget.Global);
      const answered = await new Promise<string>((resolve, reject) => {
        const seen: string[] = [];
        const timer = setTimeout(() => reject(new Error(`no suggestion after the reload; answers: ${JSON.stringify(seen)}; state ${api.models.state.kind}`)), 60_000);
        const listener = api.inlineProvider.onDidAnswer((answer) => {
          seen.push(`${answer.document.uri.path}:${answer.position.line}:${answer.position.character} ${JSON.stringify(answer.text)}`);
          if (answer.document === editor.document && answer.text.length > 0) {
            clearTimeout(timer);
            listener.dispose();
            resolve(answer.text);
          }
        });
        void vscode.commands.executeCommand('type', { text: 'm' });
      });
      assert.ok(answered.length > 0);
      reportLine(`      extension host RSS: ${megabytes(loadedRss)} loaded, ${megabytes(idleRss)} idle; reload to ready ${reloadMs} ms`);
    } finally {
      await restore();
    }
  });
});
