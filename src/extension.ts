import type * as vscode from 'vscode';
import type { CompletionStats } from './core/stats';
import type { CommandsApi } from './vscode/commands';
import type { CompletionEventRecorder } from './vscode/completionEvents';
import { activateCompletionStack } from './vscode/completionStack';
import { currentSettings } from './vscode/config';
import type { LocalGptInlineProvider } from './vscode/inlineProvider';
import { ModelService } from './vscode/modelService';
import type { PrefillAhead } from './vscode/prefillAhead';
import type { RecentEdits } from './vscode/documentContext';

/**
 * Set by the test runner's self-check to prove that a broken activation fails the suite.
 * Read from the environment because the extension host inherits the runner's environment.
 */
export const FAIL_ACTIVATION_ENV = 'LOCAL_GPT_TEST_FAIL_ACTIVATION';

/** What activate() returns: lets integration tests observe the extension without UI scraping. */
export interface LocalGptApi {
  readonly inlineProvider: LocalGptInlineProvider;
  readonly stats: CompletionStats;
  /** Inline completion events (shown, accepted, latency, tokens/s) for the statistics. */
  readonly completionEvents: CompletionEventRecorder;
  /** The inference worker and its load state. */
  readonly models: ModelService;
  /** Warms the KV cache ahead of completions (file opened, typing paused). */
  readonly prefillAhead: PrefillAhead;
  /** Recently edited ranges, a source of few-shot snippets (tests give the pipeline the same ones). */
  readonly recentEdits: RecentEdits;
  /** The commands, status bar and stats view. */
  readonly commands: CommandsApi;
}

/** Kept for deactivate(), which VS Code awaits: the worker thread is ended before the host exits. */
let activeModels: ModelService | undefined;

export function activate(context: vscode.ExtensionContext): LocalGptApi {
  // `process` is absent in the browser extension host, where this check does not apply.
  if (typeof process !== 'undefined' && process.env[FAIL_ACTIVATION_ENV] === '1') {
    throw new Error(`Activation failed on purpose (${FAIL_ACTIVATION_ENV}=1).`);
  }
  const models = new ModelService({ extensionPath: context.extensionPath, settings: () => currentSettings() });
  const { inlineProvider, stats, completionEvents, prefillAhead, recentEdits, commands } = activateCompletionStack(context, models);
  activeModels = models;
  void models.restart();
  return { inlineProvider, stats, completionEvents, models, prefillAhead, recentEdits, commands };
}

export async function deactivate(): Promise<void> {
  // The rest is disposed through context.subscriptions, which VS Code does not await.
  await activeModels?.dispose();
  activeModels = undefined;
}
