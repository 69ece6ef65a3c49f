import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi, manifestCommands, ourExtension } from './extension';

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

  it('binds Escape to Cancel Generation only while a command generates', () => {
    const keybindings: Array<{ command: string; key: string; when?: string }> = ourExtension().packageJSON.contributes.keybindings;
    assert.deepEqual(
      keybindings.filter((binding) => binding.command === 'localGpt.cancelGeneration'),
      [{ command: 'localGpt.cancelGeneration', key: 'escape', when: 'localGpt.generating' }],
    );
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

  it('says what to do when a generation command runs with no editor open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<{ error: string }>('localGpt.continueFromCursor');
    assert.match(result.error, /Open a file/);
  });

  it('contributes a walkthrough whose markdown files exist', async () => {
    const walkthroughs: Array<{ steps: Array<{ media: { markdown: string } }> }> = ourExtension().packageJSON.contributes.walkthroughs;
    const steps = walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.ok(steps.length >= 3);
    for (const step of steps) {
      const uri = vscode.Uri.joinPath(ourExtension().extensionUri, step.media.markdown);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.match(text, /^# /, step.media.markdown);
    }
  });
});
