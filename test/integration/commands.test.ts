import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi, manifestCommands } from './extension';

const IMPLEMENTED = new Set(['localGpt.toggleInlineCompletions', 'localGpt.showStats', 'localGpt.resetStats']);

describe('commands', () => {
  before(async () => {
    await activatedApi();
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = manifestCommands().map((command) => command.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('says clearly which commands are not available yet', async () => {
    const pending = manifestCommands().filter((command) => !IMPLEMENTED.has(command.command));
    assert.ok(pending.length > 0);
    for (const command of pending) {
      const message = await vscode.commands.executeCommand<string>(command.command);
      assert.match(message, /not available yet/, command.command);
      assert.ok(message.includes(command.title), `${command.command} names its feature: ${message}`);
    }
  });

  it('toggles inline completions in the user settings', async () => {
    const config = () => vscode.workspace.getConfiguration('localGpt');
    assert.equal(config().get('inlineCompletions.enable'), true);
    try {
      assert.equal(await vscode.commands.executeCommand('localGpt.toggleInlineCompletions'), false);
      assert.equal(config().get('inlineCompletions.enable'), false);
      assert.equal(await vscode.commands.executeCommand('localGpt.toggleInlineCompletions'), true);
      assert.equal(config().get('inlineCompletions.enable'), true);
    } finally {
      await config().update('inlineCompletions.enable', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows and resets the statistics', async () => {
    const api = await activatedApi();
    api.stats.recordRequest();
    const shown = await vscode.commands.executeCommand<{ requests: number }>('localGpt.showStats');
    assert.ok(shown.requests >= 1);
    const reset = await vscode.commands.executeCommand<{ requests: number }>('localGpt.resetStats');
    assert.equal(reset.requests, 0);
  });
});
