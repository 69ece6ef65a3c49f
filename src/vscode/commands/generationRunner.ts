import * as vscode from 'vscode';

/** Context key that is true while a command generates; the Escape keybinding depends on it. */
export const GENERATING_CONTEXT_KEY = 'localGpt.generating';

/** Counts the generations running now, for the status bar's "generating" state. */
export class GenerationActivity implements vscode.Disposable {
  private running = 0;
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with `busy` whenever it changes. */
  readonly onDidChange = this.changed.event;

  get busy(): boolean {
    return this.running > 0;
  }

  /** Marks one generation as running until the returned disposable is disposed. */
  begin(): vscode.Disposable {
    this.running++;
    if (this.running === 1) {
      this.changed.fire(true);
    }
    let ended = false;
    return {
      dispose: () => {
        if (ended) return;
        ended = true;
        this.running--;
        if (this.running === 0) {
          this.changed.fire(false);
        }
      },
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface GenerationProgress {
  /** Replaces the notification's message, e.g. with the number of tokens written. */
  report(message: string): void;
}

/**
 * Runs the commands' generations one at a time, each under a progress notification with a
 * Cancel button; `cancel()` (the Escape keybinding) stops it too. One at a time because the
 * engine serves one request at a time and two streams into one editor would interleave.
 */
export class GenerationRunner implements vscode.Disposable {
  private current: AbortController | undefined;

  constructor(private readonly activity: GenerationActivity) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Cancels the running generation; false when none runs. */
  cancel(): boolean {
    if (!this.current) {
      return false;
    }
    this.current.abort();
    return true;
  }

  async run<T>(title: string, work: (signal: AbortSignal, progress: GenerationProgress) => Promise<T>): Promise<T> {
    if (this.current) {
      throw new Error('A generation is already running. Press Escape to cancel it first.');
    }
    const controller = new AbortController();
    this.current = controller;
    const active = this.activity.begin();
    await vscode.commands.executeCommand('setContext', GENERATING_CONTEXT_KEY, true);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Local GPT: ${title}`, cancellable: true },
        (progress, token) => {
          const onCancel = token.onCancellationRequested(() => controller.abort());
          return work(controller.signal, { report: (message) => progress.report({ message }) }).finally(() => onCancel.dispose());
        },
      );
    } finally {
      this.current = undefined;
      active.dispose();
      await vscode.commands.executeCommand('setContext', GENERATING_CONTEXT_KEY, false);
    }
  }

  dispose(): void {
    this.current?.abort();
  }
}
