/**
 * The extension in VS Code for the Web (package.json `browser`, bundled to dist/web/extension.js):
 * runs in the browser's web worker extension host. The same completion pipeline, inline provider,
 * commands and status bar as the desktop entry (src/extension.ts), both from completionStack.ts;
 * only the model service differs: it runs the engine in a browser Web Worker, on WebGPU when the
 * browser has an adapter.
 */
import type * as vscode from 'vscode';
import type { CompletionStats } from '../core/stats';
import type { CommandsApi } from '../vscode/commands';
import type { CompletionEventRecorder } from '../vscode/completionEvents';
import { activateCompletionStack } from '../vscode/completionStack';
import { currentSettings } from '../vscode/config';
import type { LocalGptInlineProvider } from '../vscode/inlineProvider';
import type { PipelineSession } from '../vscode/pipelineSession';
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
  const models = new WebModelService(context.extensionUri, () => currentSettings());
  const { inlineProvider, stats, completionEvents, pipelines, commands } = activateCompletionStack(context, models);
  activeModels = models;
  void models.restart();
  return { inlineProvider, stats, completionEvents, models, pipelines, commands };
}

export async function deactivate(): Promise<void> {
  await activeModels?.dispose();
  activeModels = undefined;
}
