import * as vscode from 'vscode';
import { currentSettings, setInlineCompletionsEnabled } from '../config';

/** Flips `localGpt.inlineCompletions.enable` in the user settings; resolves with the new value. */
export async function toggleInlineCompletions(): Promise<boolean> {
  const enabled = !currentSettings().inlineCompletions.enable;
  await setInlineCompletionsEnabled(enabled);
  void vscode.window.setStatusBarMessage(`Local GPT inline completions ${enabled ? 'enabled' : 'disabled'}`, 3000);
  return enabled;
}
