import * as vscode from 'vscode';

/**
 * While the suggest widget is open, VS Code shows ghost text only when it extends the widget's
 * selected item over the item's range. The completion is then asked for as if the item were
 * already inserted, and answered as the item's text followed by the model's.
 */
export interface PendingInsertion {
  /** What the item replaces: the part of the word before the cursor, on the cursor's line. */
  readonly range: vscode.Range;
  readonly text: string;
}

/**
 * The selected item as a pending insertion; undefined when the widget is closed; 'unusable' when
 * the item would not end on the cursor's line or has no text (the ghost text could not extend it).
 */
export function pendingInsertion(
  position: vscode.Position,
  selected: vscode.SelectedCompletionInfo | undefined,
): PendingInsertion | 'unusable' | undefined {
  if (!selected) {
    return undefined;
  }
  const { range, text } = selected;
  if (text.length === 0 || text.includes('\n') || !range.isSingleLine || range.start.line !== position.line || !range.contains(position)) {
    return 'unusable';
  }
  return { range, text };
}
