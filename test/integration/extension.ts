/** Shared helpers for integration tests (not a test file itself). */
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { LocalGptApi } from '../../src/extension';

export const EXTENSION_ID = 'localgpt.local-gpt-completion';

export function ourExtension(): vscode.Extension<LocalGptApi> {
  const extension = vscode.extensions.getExtension<LocalGptApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`Extension ${EXTENSION_ID} is not loaded in this extension host.`);
  }
  return extension;
}

export async function activatedApi(): Promise<LocalGptApi> {
  return ourExtension().activate();
}

export interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

export function manifestCommands(): ManifestCommand[] {
  return ourExtension().packageJSON.contributes.commands;
}

export function manifestSettings(): Record<string, { default: unknown }> {
  return ourExtension().packageJSON.contributes.configuration.properties;
}

/** Resolves with the first event that matches, or rejects after timeoutMs. */
export function nextEvent<T>(event: vscode.Event<T>, matches: (value: T) => boolean, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`No matching event within ${timeoutMs} ms.`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (matches(value)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  });
}

/** Prints a line into the suite's report, beside mocha's own (the host's console is not shown). */
export function reportLine(text: string): void {
  Mocha.reporters.Base.consoleLog(text);
}
