import * as vscode from 'vscode';
import { tooltipMarkdown } from '../core/markdown';
import { inlineEnabledFor, type Settings } from '../core/settings';
import type { CompletionStats } from '../core/stats';
import type { GenerationActivity } from './commands/generationRunner';
import { loadFraction, type ModelStatus, type ModelStatusSource } from './modelStatusSource';

export const SHOW_MODEL_STATUS_COMMAND = 'localGpt.showModelStatus';

export type StatusBarState = 'loading' | 'ready' | 'generating' | 'error' | 'disabled' | 'idle';

/** What the item shows; plain data so tests can read it. */
export interface StatusBarView {
  readonly state: StatusBarState;
  readonly text: string;
  /** Plain text, one line each; the item shows it as escaped Markdown (folder names and errors are not Markdown). */
  readonly tooltip: string;
}

const ICONS: Record<StatusBarState, string> = {
  loading: '$(loading~spin)',
  ready: '$(sparkle)',
  generating: '$(sync~spin)',
  error: '$(error)',
  disabled: '$(circle-slash)',
  idle: '$(debug-pause)',
};

/**
 * The status bar item: whether the model is loading (with progress), ready, generating, in error,
 * or whether inline completions are off. Its tooltip names the model, the backend, the thread
 * count and the last suggestion latency; a click shows an error's details and what to do, or the
 * extension's actions otherwise.
 */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('localGpt.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private current: StatusBarView;
  private readonly changed = new vscode.EventEmitter<StatusBarView>();
  /** Fires after every update of the item (tests wait on it). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly models: ModelStatusSource | undefined,
    private readonly activity: GenerationActivity,
    private readonly stats: CompletionStats,
    private readonly settings: () => Settings,
  ) {
    this.item.name = 'Local GPT';
    this.item.command = SHOW_MODEL_STATUS_COMMAND;
    const update = (): void => this.update();
    if (models) this.subscriptions.push(models.onDidChangeState(update));
    this.subscriptions.push(
      activity.onDidChange(update),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('localGpt') && update()),
      vscode.window.onDidChangeActiveTextEditor(update),
    );
    const unsubscribe = stats.onDidChange(update);
    this.subscriptions.push({ dispose: unsubscribe });
    this.current = this.compute();
    this.update();
    this.item.show();
  }

  get view(): StatusBarView {
    return this.current;
  }

  get modelStatus(): ModelStatus {
    return this.models?.state ?? { kind: 'error', message: 'The model service is not running.', action: 'Reload the window.' };
  }

  private update(): void {
    this.current = this.compute();
    this.item.text = this.current.text;
    this.item.tooltip = new vscode.MarkdownString(tooltipMarkdown(this.current.tooltip));
    this.item.backgroundColor = this.current.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.changed.fire(this.current);
  }

  private compute(): StatusBarView {
    const model = this.modelStatus;
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    const inlineOn = languageId === undefined ? this.settings().inlineCompletions.enable : inlineEnabledFor(this.settings(), languageId);
    const state: StatusBarState =
      model.kind === 'error' ? 'error'
      : model.kind === 'idle' ? 'idle'
      : model.kind !== 'ready' ? 'loading'
      : this.activity.busy ? 'generating'
      : inlineOn ? 'ready'
      : 'disabled';
    const fraction = model.kind === 'loading' ? loadFraction(model.progress) : undefined;
    const text = `${ICONS[state]} Local GPT${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`}`;
    return { state, text, tooltip: this.tooltip(model, state, inlineOn) };
  }

  private tooltip(model: ModelStatus, state: StatusBarState, inlineOn: boolean): string {
    const lines = [`Local GPT: ${describeState(model, state, inlineOn)}`, ''];
    if (model.kind === 'ready') {
      lines.push(`Model: ${model.info.id} (${model.modelDir})`, `Backend: ${model.backend === 'webgpu' ? 'WebGPU' : 'WASM'}`, `Threads: ${model.info.threads}`);
    } else if (model.kind !== 'stopped' && model.modelDir) {
      lines.push(`Model folder: ${model.modelDir}`);
    }
    const last = this.stats.snapshot().latency.lastMs;
    lines.push(`Last latency: ${last === undefined ? '–' : `${Math.round(last)} ms`}`, '');
    lines.push(state === 'error' ? 'Click for details and what to do.' : 'Click for Local GPT actions.');
    return lines.join('\n');
  }

  /** The click: an error's details and remedies, or a menu of the extension's actions. */
  async showDetails(): Promise<StatusBarView & { readonly message?: string; readonly action?: string }> {
    const model = this.modelStatus;
    if (model.kind === 'error') {
      void vscode.window
        .showErrorMessage(`Local GPT: ${model.message}`, { detail: model.action }, 'Select Model…', 'Open Settings')
        .then((choice) => choice && runChoice(choice));
      return { ...this.current, message: model.message, action: model.action };
    }
    void vscode.window
      .showQuickPick(['Toggle Inline Completions', 'Select Model…', 'Show Completion Statistics', 'Open Settings'], {
        title: `Local GPT: ${describeState(model, this.current.state, this.current.state !== 'disabled')}`,
      })
      .then((choice) => choice && runChoice(choice));
    return this.current;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
    this.changed.dispose();
  }
}

function describeState(model: ModelStatus, state: StatusBarState, inlineOn: boolean): string {
  switch (state) {
    case 'error':
      return model.kind === 'error' ? `${model.message} ${model.action}` : 'error';
    case 'loading':
      return model.kind === 'loading' && model.progress ? `loading the model (${model.progress.stage})` : 'loading the model';
    case 'generating':
      return 'generating (Escape cancels)';
    case 'disabled':
      return 'model ready; inline completions are off for this file';
    case 'idle':
      return model.kind === 'idle' ? `unloaded after ${model.minutes} min without a request; the next one loads it again` : 'unloaded';
    case 'ready':
      return inlineOn ? 'ready' : 'ready; inline completions are off';
  }
}

function runChoice(choice: string): void {
  const commands: Record<string, [string, ...unknown[]]> = {
    'Toggle Inline Completions': ['localGpt.toggleInlineCompletions'],
    'Select Model…': ['localGpt.selectModel'],
    'Show Completion Statistics': ['localGpt.showStats'],
    'Open Settings': ['workbench.action.openSettings', 'localGpt'],
  };
  const [command, ...args] = commands[choice];
  void vscode.commands.executeCommand(command, ...args);
}
