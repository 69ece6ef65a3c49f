import * as vscode from 'vscode';
import type { CompletionStats } from '../core/stats';
import { type CommandsApi, registerCommands } from './commands';
import { CompletionEventRecorder } from './completionEvents';
import { currentSettings } from './config';
import { RecentEdits } from './documentContext';
import { LocalGptInlineProvider } from './inlineProvider';
import { PipelineSession } from './pipelineSession';
import { PrefillAhead } from './prefillAhead';
import { persistentStats } from './statsStore';
import type { WorkerModelService } from './workerModelService';

/**
 * What the desktop (src/extension.ts) and the browser (src/web/extension.ts) entries activate in
 * the same way on their own model service: the statistics, the completion pipeline, the inline
 * provider, prefill, the commands and the log. The entries keep what differs: which service, the
 * API they return, and what they log.
 */
export interface CompletionStack {
  readonly stats: CompletionStats;
  readonly completionEvents: CompletionEventRecorder;
  readonly pipelines: PipelineSession;
  readonly prefillAhead: PrefillAhead;
  readonly inlineProvider: LocalGptInlineProvider;
  readonly recentEdits: RecentEdits;
  readonly commands: CommandsApi;
  readonly log: vscode.LogOutputChannel;
}

/** Builds the stack on `models` and hands all of it, `models` included, to the extension's disposal. */
export function activateCompletionStack(context: vscode.ExtensionContext, models: WorkerModelService): CompletionStack {
  const { stats, store: statsStore } = persistentStats(context.globalState);
  const log = vscode.window.createOutputChannel('Local GPT', { log: true });
  const completionEvents = new CompletionEventRecorder(stats);
  const pipelines = new PipelineSession(models, () => currentSettings());
  const recentEdits = new RecentEdits();
  const settingsFor = (document: vscode.TextDocument) => currentSettings(document);
  const prefillAhead = new PrefillAhead(pipelines, models, recentEdits, settingsFor);
  const inlineProvider = new LocalGptInlineProvider({ events: completionEvents, settingsFor, pipelines, recentEdits, log });
  const commands = registerCommands(context, { stats, models, completionEvents });
  context.subscriptions.push(
    log,
    completionEvents,
    models,
    pipelines,
    recentEdits,
    inlineProvider,
    prefillAhead,
    models.onDidChangeState((state) => {
      if (state.kind === 'error') log.error(`${state.message} ${state.action}`);
      if (state.kind === 'ready') log.info(`Model ${state.info.id} ready on ${state.backend} in ${state.info.loadMs} ms${state.info.backendDetail ? ` (${state.info.backendDetail})` : ''}: ${state.modelDir}`);
    }),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, inlineProvider),
    ...commands.disposables,
    statsStore,
  );
  return { stats, completionEvents, pipelines, prefillAhead, inlineProvider, recentEdits, commands: commands.api, log };
}
