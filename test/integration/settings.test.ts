import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, readSettings } from '../../src/core/settings';
import { activatedApi, manifestSettings } from './extension';

describe('settings', () => {
  before(async () => {
    await activatedApi();
  });

  it('reads back every package.json default through VS Code', () => {
    const settings = Object.entries(manifestSettings());
    assert.ok(settings.length > 0, 'package.json contributes no settings');
    const config = vscode.workspace.getConfiguration();
    for (const [key, declared] of settings) {
      assert.deepEqual(config.inspect(key)?.defaultValue, declared.default, `${key} default`);
      assert.deepEqual(config.get(key), declared.default, `${key} value`);
    }
  });

  it('parses VS Code defaults into the core defaults', () => {
    const config = vscode.workspace.getConfiguration('localGpt');
    assert.deepEqual(readSettings((key) => config.get(key)), DEFAULT_SETTINGS);
  });
});
