import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package.json manifest', () => {
  it('activates lazily, never on "*"', () => {
    assert.ok(Array.isArray(manifest.activationEvents));
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('puts every command under localGpt. in the "Local GPT" category', () => {
    for (const command of manifest.contributes.commands) {
      assert.match(command.command, /^localGpt\.[a-zA-Z]+$/);
      assert.equal(command.category, 'Local GPT', command.command);
    }
  });

  it('keeps the model path out of reach of workspaces', () => {
    assert.equal(manifest.contributes.configuration.properties['localGpt.model.path'].scope, 'machine');
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.ok(untrusted.restrictedConfigurations.includes('localGpt.model.path'));
  });

  it('gives every setting the scope it is read with: per resource or language, or machine-wide', () => {
    // The extension reads its settings for the document at hand; a window-scoped setting read that
    // way logs "Accessing a window scoped configuration for a resource is not expected".
    const properties: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(['resource', 'language-overridable', 'machine'].includes(property.scope ?? 'window'), `${key}: ${property.scope ?? 'window (the default)'}`);
    }
  });

  it('keeps what changes resource use out of reach of untrusted workspaces', () => {
    const properties: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['localGpt.engine.threads', 'localGpt.engine.backend', 'localGpt.engine.idleUnloadMinutes', 'localGpt.inlineCompletions.debounceMs', 'localGpt.inlineCompletions.maxTokens', 'localGpt.context.maxTokens']) {
      assert.ok(properties[key].scope === 'machine' || restricted.includes(key), key);
    }
  });

  it('points main, bin and icon at files the build and repo provide', () => {
    for (const file of [manifest.main, manifest.bin['local-gpt'], manifest.icon]) {
      assert.ok(fs.existsSync(path.join(root, file)), `${file} exists (run the build first)`);
    }
    const png = fs.readFileSync(path.join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  });
});
