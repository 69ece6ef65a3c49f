/**
 * The extension in VS Code for the Web (package.json `browser`, bundled to dist/web/extension.js):
 * runs in the browser's web worker extension host. The same completion pipeline, inline provider,
 * commands and status bar as the desktop entry (src/extension.ts); only the model service differs:
 * it runs the engine in a browser Web Worker, on WebGPU when the browser has an adapter.
 */
import * as vscode from 'vscode';
import type { CompletionStats } from '../core/stats';
import { type CommandsApi, registerCommands } from '../vscode/commands';
import { CompletionEventRecorder } from '../vscode/completionEvents';
import { currentSettings } from '../vscode/config';
import { RecentEdits } from '../vscode/documentContext';
import { LocalGptInlineProvider } from '../vscode/inlineProvider';
import { PipelineSession } from '../vscode/pipelineSession';
import { PrefillAhead } from '../vscode/prefillAhead';
import { persistentStats } from '../vscode/statsStore';
import { WebModelService } from './host/webModelService';

/** What activate() returns in the browser: what integration tests observe. */
export interface LocalGptWebApi {
  readonly inlineProvider: LocalGptInlineProvider;
  readonly stats: CompletionStats;
  readonly completionEvents: CompletionEventRecorder;
  readonly models: WebModelService;
  /** The completion pipeline of the loaded model, shared by the inline provider and prefill. */
  readonly pipelines: PipelineSession;
  readonly commands: CommandsApi;
}

let activeModels: WebModelService | undefined;

export function activate(context: vscode.ExtensionContext): LocalGptWebApi {
  const { stats, store: statsStore } = persistentStats(context.globalState);
  const log = vscode.window.createOutputChannel('Local GPT', { log: true });
  const completionEvents = new CompletionEventRecorder(stats);
  const models = new WebModelService(context.extensionUri, () => currentSettings());
  const pipelines = new PipelineSession(models, () => currentSettings());
  const recentEdits = new RecentEdits();
  const settingsFor = (document: vscode.TextDocument) => currentSettings(document);
  const inlineProvider = new LocalGptInlineProvider({ events: completionEvents, settingsFor, pipelines, recentEdits, log });
  const commands = registerCommands(context, { stats, models, completionEvents });
  context.subscriptions.push(
    log,
    completionEvents,
    models,
    pipelines,
    recentEdits,
    inlineProvider,
    new PrefillAhead(pipelines, models, recentEdits, settingsFor),
    models.onDidChangeState((state) => {
      if (state.kind === 'error') log.error(`${state.message} ${state.action}`);
      if (state.kind === 'ready') log.info(`Model ${state.info.id} ready on ${state.backend} in ${state.info.loadMs} ms${state.info.backendDetail ? ` (${state.info.backendDetail})` : ''}`);
    }),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, inlineProvider),
    ...commands.disposables,
    statsStore,
  );
  activeModels = models;
  void models.restart();
  return { inlineProvider, stats, completionEvents, models, pipelines, commands: commands.api };
}

export async function deactivate(): Promise<void> {
  await activeModels?.dispose();
  activeModels = undefined;
}
