import * as vscode from 'vscode';
import type { CompletionStats } from './core/stats';
import { type CommandsApi, registerCommands } from './vscode/commands';
import { currentSettings } from './vscode/config';
import { LocalGptInlineProvider } from './vscode/inlineProvider';
import { persistentStats } from './vscode/statsStore';

/**
 * Set by the test runner's self-check to prove that a broken activation fails the suite.
 * Read from the environment because the extension host inherits the runner's environment.
 */
export const FAIL_ACTIVATION_ENV = 'LOCAL_GPT_TEST_FAIL_ACTIVATION';

/** What activate() returns: lets integration tests observe the extension without UI scraping. */
export interface LocalGptApi {
  readonly inlineProvider: LocalGptInlineProvider;
  readonly stats: CompletionStats;
  /** The commands, status bar and stats view (issue 6). */
  readonly commands: CommandsApi;
}

export function activate(context: vscode.ExtensionContext): LocalGptApi {
  // `process` is absent in the browser extension host, where this check does not apply.
  if (typeof process !== 'undefined' && process.env[FAIL_ACTIVATION_ENV] === '1') {
    throw new Error(`Activation failed on purpose (${FAIL_ACTIVATION_ENV}=1).`);
  }
  const { stats, store: statsStore } = persistentStats(context.globalState);
  const inlineProvider = new LocalGptInlineProvider(stats, (document) => currentSettings(document));
  const commands = registerCommands(context, { stats });
  context.subscriptions.push(
    inlineProvider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, inlineProvider),
    ...commands.disposables,
    statsStore,
  );
  return { inlineProvider, stats, commands: commands.api };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
