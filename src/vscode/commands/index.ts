import * as vscode from 'vscode';
import { PromptHistory } from '../../core/prompts/promptHistory';
import type { CompletionStats } from '../../core/stats';
import { currentSettings } from '../config';
import { type InlineStatsEvents, recordInlineStats } from '../inlineStats';
import type { EngineSource, ModelStatusSource } from '../modelStatusSource';
import { ModelStatusBar, SHOW_MODEL_STATUS_COMMAND } from '../statusBar';
import { StatsView } from '../statsView';
import type { CommandDeps } from './commandDeps';
import { CommandEngine } from './commandEngine';
import { continueFromCursor } from './continueFromCursor';
import { fewShotTransform } from './fewShotTransform';
import { generateFromPrompt, type GenerateFromPromptArgs } from './generateFromPrompt';
import { GenerationActivity, GenerationRunner } from './generationRunner';
import { selectModel } from './selectModel';
import { toggleInlineCompletions } from './toggleInlineCompletions';

export const PROMPT_HISTORY_KEY = 'localGpt.promptHistory';

/** What the commands expose to activate()'s API: integration tests drive and observe them here. */
export interface CommandsApi {
  /** The commands' engine; `use()` runs them on another one. */
  readonly engine: CommandEngine;
  readonly runner: GenerationRunner;
  readonly activity: GenerationActivity;
  readonly statusBar: ModelStatusBar;
  readonly statsView: StatsView;
  /** Earlier prompts of Generate from Prompt, persisted in globalState. */
  readonly history: PromptHistory;
}

export interface CommandServices {
  readonly stats: CompletionStats;
  /** The model service; undefined only where none could be created. */
  readonly models?: ModelStatusSource & EngineSource;
  /** Inline completion events (completionEvents.ts): latency, speed and languages for the stats. */
  readonly completionEvents?: InlineStatsEvents;
}

/**
 * Registers every command, the status bar item and the stats view. Handlers resolve with what
 * they did (tests read it) and never wait on a notification, so executeCommand resolves without
 * a click. Errors are shown to the user and resolved as `{ error }`.
 */
export function registerCommands(context: vscode.ExtensionContext, services: CommandServices): { disposables: vscode.Disposable[]; api: CommandsApi } {
  const { stats } = services;
  const activity = new GenerationActivity();
  const runner = new GenerationRunner(activity);
  const engine = new CommandEngine(services.models);
  const statsView = new StatsView(context.extensionUri, stats, () => vscode.commands.executeCommand('localGpt.resetStats'));
  const statusBar = new ModelStatusBar(services.models, activity, stats, () => currentSettings());
  const history = new PromptHistory({
    load: () => context.globalState.get(PROMPT_HISTORY_KEY),
    save: (entries) => context.globalState.update(PROMPT_HISTORY_KEY, entries),
  });
  const deps: CommandDeps = { stats, engine, runner, history, statsView, settings: () => currentSettings() };
  const handlers: Record<string, (...args: never[]) => unknown> = {
    'localGpt.generateFromPrompt': (args?: GenerateFromPromptArgs) => generateFromPrompt(deps, args),
    'localGpt.continueFromCursor': () => continueFromCursor(deps),
    'localGpt.fewShotTransform': () => fewShotTransform(deps),
    'localGpt.cancelGeneration': () => runner.cancel(),
    'localGpt.toggleInlineCompletions': () => toggleInlineCompletions(),
    'localGpt.selectModel': (folder?: vscode.Uri | string) => selectModel(folder),
    'localGpt.showStats': () => {
      statsView.show();
      return stats.snapshot();
    },
    'localGpt.resetStats': () => {
      stats.reset();
      void vscode.window.setStatusBarMessage('Local GPT: statistics reset.', 3000);
      return stats.snapshot();
    },
    [SHOW_MODEL_STATUS_COMMAND]: () => statusBar.showDetails(),
  };
  const registrations = Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, reportingErrors(handler)));
  const inlineStats = services.completionEvents ? [recordInlineStats(services.completionEvents, stats)] : [];
  return {
    disposables: [...registrations, ...inlineStats, runner, activity, statusBar, statsView],
    api: { engine, runner, activity, statusBar, statsView, history },
  };
}

function reportingErrors(handler: (...args: never[]) => unknown): (...args: never[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Local GPT: ${message}`);
      return { error: message };
    }
  };
}
