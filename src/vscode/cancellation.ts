import type * as vscode from 'vscode';

/** An AbortSignal that aborts when a VS Code cancellation token is cancelled, and its cleanup. */
export interface LinkedAbortSignal extends vscode.Disposable {
  readonly signal: AbortSignal;
}

/**
 * Bridges VS Code's CancellationToken to the AbortSignal the completion core and the worker
 * client understand. Event-driven (onCancellationRequested), so nothing polls the token; dispose
 * when the request ends so the listener does not outlive it.
 */
export function abortSignalFor(token: vscode.CancellationToken): LinkedAbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
