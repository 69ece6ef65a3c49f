import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CompletionStats } from '../../src/core/stats';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { GenerationActivity } from '../../src/vscode/commands/generationRunner';
import type { ModelStatus } from '../../src/vscode/modelStatusSource';
import { ModelStatusBar } from '../../src/vscode/statusBar';
import { activatedApi } from './extension';

/** A model service stand-in whose state the test sets. */
class FakeModels {
  private readonly changed = new vscode.EventEmitter<ModelStatus>();
  readonly onDidChangeState = this.changed.event;
  state: ModelStatus = { kind: 'stopped' };

  set(state: ModelStatus): void {
    this.state = state;
    this.changed.fire(state);
  }
}

describe('status bar item', () => {
  let models: FakeModels;
  let activity: GenerationActivity;
  let stats: CompletionStats;
  let settings: Settings;
  let bar: ModelStatusBar;

  beforeEach(async () => {
    await activatedApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    models = new FakeModels();
    activity = new GenerationActivity();
    stats = new CompletionStats();
    settings = structuredClone(DEFAULT_SETTINGS);
    bar = new ModelStatusBar(models, activity, stats, () => settings);
  });

  afterEach(() => {
    // Undefined when beforeEach failed (a broken activation).
    bar?.dispose();
    activity?.dispose();
  });

  it('shows loading with the share of the model read', () => {
    models.set({ kind: 'loading', modelDir: '/m/lgc-small', progress: { stage: 'reading-files', loadedBytes: 21, totalBytes: 50 } });
    assert.equal(bar.view.state, 'loading');
    assert.equal(bar.view.text, '$(loading~spin) Local GPT 42%');
    assert.match(bar.view.tooltip, /loading the model \(reading-files\)/);
  });

  it('shows ready with the model, backend, threads and last latency in the tooltip', () => {
    models.set({ kind: 'ready', modelDir: '/m/lgc-small', info: { id: 'lgc-small', threads: 4 }, backend: 'wasm' });
    stats.recordLatency(137);
    assert.equal(bar.view.state, 'ready');
    for (const line of ['Model: lgc-small (/m/lgc-small)', 'Backend: WASM', 'Threads: 4', 'Last latency: 137 ms']) {
      assert.ok(bar.view.tooltip.includes(line), `${line} in ${bar.view.tooltip}`);
    }
    models.set({ kind: 'ready', modelDir: '/m/x', info: { id: 'x', threads: 1 }, backend: 'webgpu' });
    assert.ok(bar.view.tooltip.includes('Backend: WebGPU'));
  });

  it('shows generating while a command generates, and disabled when inline completions are off', () => {
    models.set({ kind: 'ready', modelDir: '/m', info: { id: 'm', threads: 2 }, backend: 'wasm' });
    const running = activity.begin();
    assert.equal(bar.view.state, 'generating');
    running.dispose();
    assert.equal(bar.view.state, 'ready');
    settings.inlineCompletions.enable = false;
    activity.begin().dispose();
    assert.equal(bar.view.state, 'disabled');
    assert.equal(bar.view.text, '$(circle-slash) Local GPT');
  });

  it('shows an error, and its click gives the details and what to do', async () => {
    models.set({ kind: 'error', modelDir: '/nowhere', message: 'No model in /nowhere: config.json is missing.', action: 'Set localGpt.model.path to a model folder.' });
    assert.equal(bar.view.state, 'error');
    assert.match(bar.view.tooltip, /config\.json is missing/);
    const details = await bar.showDetails();
    assert.equal(details.message, 'No model in /nowhere: config.json is missing.');
    assert.equal(details.action, 'Set localGpt.model.path to a model folder.');
  });

  it('is the extension item too: its click command answers with the real model state', async () => {
    const api = await activatedApi();
    const details = await vscode.commands.executeCommand<{ state: string; message?: string }>('localGpt.showModelStatus');
    assert.equal(details.state, api.commands.statusBar.view.state);
    assert.ok(['loading', 'ready', 'generating', 'error', 'disabled'].includes(details.state));
    if (details.state === 'error') {
      assert.ok(details.message && details.message.length > 0);
    }
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });
});
