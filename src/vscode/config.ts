import * as vscode from 'vscode';
import { readSettings, Settings, SETTINGS_SECTION } from '../core/settings';

/** Current, validated settings; scope selects language- or resource-specific overrides. */
export function currentSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return readSettings((key) => config.get(key));
}

export async function setInlineCompletionsEnabled(enabled: boolean): Promise<void> {
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('inlineCompletions.enable', enabled, vscode.ConfigurationTarget.Global);
}
