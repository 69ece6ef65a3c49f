import * as vscode from 'vscode';
import { CompletionStats } from './core/stats';
import { registerCommands } from './vscode/commands';
import { currentSettings } from './vscode/config';
import { LocalGptInlineProvider } from './vscode/inlineProvider';

/**
 * Set by the test runner's self-check to prove that a broken activation fails the suite.
 * Read from the environment because the extension host inherits the runner's environment.
 */
export const FAIL_ACTIVATION_ENV = 'LOCAL_GPT_TEST_FAIL_ACTIVATION';

/** What activate() returns: lets integration tests observe the extension without UI scraping. */
export interface LocalGptApi {
  readonly inlineProvider: LocalGptInlineProvider;
  readonly stats: CompletionStats;
}

export function activate(context: vscode.ExtensionContext): LocalGptApi {
  // `process` is absent in the browser extension host, where this check does not apply.
  if (typeof process !== 'undefined' && process.env[FAIL_ACTIVATION_ENV] === '1') {
    throw new Error(`Activation failed on purpose (${FAIL_ACTIVATION_ENV}=1).`);
  }
  const stats = new CompletionStats();
  const inlineProvider = new LocalGptInlineProvider(stats, (document) => currentSettings(document));
  context.subscriptions.push(
    inlineProvider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, inlineProvider),
    ...registerCommands(context.extension.packageJSON, stats),
  );
  return { inlineProvider, stats };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
