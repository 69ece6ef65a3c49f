import * as vscode from 'vscode';
import type { PromptHistory } from '../../core/prompts/promptHistory';

/**
 * An input box with history: a quick pick whose first item is what the user is typing and whose
 * other items are earlier prompts, newest first, filtered as the user types. Resolves with the
 * chosen prompt, or undefined when dismissed.
 */
export function pickPrompt(history: PromptHistory): Promise<string | undefined> {
  const earlier = history.entries().map((entry) => ({ label: entry, description: 'earlier prompt' }));
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem>();
  picker.title = 'Local GPT: Generate Code from Prompt';
  picker.placeholder = earlier.length > 0 ? 'Describe the code to write, or pick an earlier prompt' : 'Describe the code to write, e.g. "parse an ISO date"';
  picker.items = earlier;
  picker.onDidChangeValue((value) => {
    const typed = value.trim();
    picker.items = typed.length > 0 ? [{ label: typed, description: 'new prompt', alwaysShow: true }, ...earlier] : earlier;
  });
  return new Promise<string | undefined>((resolve) => {
    picker.onDidAccept(() => {
      const chosen = picker.selectedItems[0]?.label ?? picker.value.trim();
      resolve(chosen.length > 0 ? chosen : undefined);
      picker.hide();
    });
    picker.onDidHide(() => {
      resolve(undefined);
      picker.dispose();
    });
    picker.show();
  });
}
