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
    assert.deepEqual(untrusted.restrictedConfigurations, ['localGpt.model.path']);
  });

  it('points main, bin and icon at files the build and repo provide', () => {
    for (const file of [manifest.main, manifest.bin['local-gpt'], manifest.icon]) {
      assert.ok(fs.existsSync(path.join(root, file)), `${file} exists (run the build first)`);
    }
    const png = fs.readFileSync(path.join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  });
});
