import * as vscode from 'vscode';
import { CompletionStats, formatStats, StatsSnapshot } from '../core/stats';
import { currentSettings, setInlineCompletionsEnabled } from './config';

/** Ids of the commands this build implements; the rest of package.json's commands wait for the engine. */
const TOGGLE_INLINE = 'localGpt.toggleInlineCompletions';
const SHOW_STATS = 'localGpt.showStats';
const RESET_STATS = 'localGpt.resetStats';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The command list declared in package.json, so titles and ids live in one place. */
export function contributedCommands(packageJSON: unknown): ContributedCommand[] {
  const contributes = (packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes;
  return contributes?.commands ?? [];
}

export function notAvailableMessage(command: ContributedCommand): string {
  const name = command.category ? `${command.category}: ${command.title}` : command.title;
  return `${name} is not available yet: this build of Local GPT Completion has no inference engine.`;
}

/**
 * Registers every command contributed in package.json. Handlers return what they reported, and
 * never wait on a notification, so that executeCommand resolves without a user clicking.
 */
export function registerCommands(packageJSON: unknown, stats: CompletionStats): vscode.Disposable[] {
  const implemented: Record<string, () => unknown> = {
    [TOGGLE_INLINE]: toggleInlineCompletions,
    [SHOW_STATS]: () => showStats(stats),
    [RESET_STATS]: () => resetStats(stats),
  };
  return contributedCommands(packageJSON).map((command) => {
    const handler = implemented[command.command] ?? (() => reportNotAvailable(command));
    return vscode.commands.registerCommand(command.command, handler);
  });
}

function reportNotAvailable(command: ContributedCommand): string {
  const message = notAvailableMessage(command);
  void vscode.window.showWarningMessage(message);
  return message;
}

async function toggleInlineCompletions(): Promise<boolean> {
  const enabled = !currentSettings().inlineCompletions.enable;
  await setInlineCompletionsEnabled(enabled);
  void vscode.window.setStatusBarMessage(`Local GPT inline completions ${enabled ? 'enabled' : 'disabled'}`, 3000);
  return enabled;
}

function showStats(stats: CompletionStats): StatsSnapshot {
  const snapshot = stats.snapshot();
  void vscode.window.showInformationMessage(`Local GPT: ${formatStats(snapshot)}`);
  return snapshot;
}

function resetStats(stats: CompletionStats): StatsSnapshot {
  stats.reset();
  void vscode.window.showInformationMessage('Local GPT: statistics reset.');
  return stats.snapshot();
}
