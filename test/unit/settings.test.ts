import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, defaultFor, inlineEnabledFor, readSettings, settingKeys } from '../../src/core/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const declared: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

/** A reader over a flat object of dotted keys, like settings.json. */
function readerOf(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

describe('settings', () => {
  it('declares exactly the core settings in package.json, with the same defaults', () => {
    assert.deepEqual(Object.keys(declared).sort(), settingKeys().map((key) => `localGpt.${key}`).sort());
    for (const key of settingKeys()) {
      assert.deepEqual(declared[`localGpt.${key}`].default, defaultFor(key), key);
    }
  });

  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(readSettings(readerOf({})), DEFAULT_SETTINGS);
  });

  it('replaces wrongly typed values by defaults and clamps numbers to their range', () => {
    const settings = readSettings(
      readerOf({
        'inlineCompletions.enable': 'yes',
        'inlineCompletions.debounceMs': -5,
        'inlineCompletions.maxLines': 12.6,
        'inlineCompletions.temperature': Number.NaN,
        'inlineCompletions.languages': { python: false, go: 'no' },
        'engine.backend': 'cuda',
        'model.path': '  /models/mine  ',
      }),
    );
    assert.equal(settings.inlineCompletions.enable, true);
    assert.equal(settings.inlineCompletions.debounceMs, 0);
    assert.equal(settings.inlineCompletions.maxLines, 13);
    assert.equal(settings.inlineCompletions.temperature, 0);
    assert.deepEqual(settings.inlineCompletions.languages, { python: false });
    assert.equal(settings.engine.backend, 'auto');
    assert.equal(settings.model.path, '/models/mine');
  });

  it('enables inline completions per language, falling back to "*"', () => {
    const settings = readSettings(readerOf({ 'inlineCompletions.languages': { '*': false, python: true } }));
    assert.equal(inlineEnabledFor(settings, 'python'), true);
    assert.equal(inlineEnabledFor(settings, 'typescript'), false);
    assert.equal(inlineEnabledFor(DEFAULT_SETTINGS, 'typescript'), true);
    assert.equal(inlineEnabledFor(DEFAULT_SETTINGS, 'markdown'), false);
    const off = readSettings(readerOf({ 'inlineCompletions.enable': false }));
    assert.equal(inlineEnabledFor(off, 'typescript'), false);
  });

  it('rejects unknown setting keys', () => {
    assert.throws(() => defaultFor('inlineCompletions.colour'), /Unknown setting "localGpt.inlineCompletions.colour"/);
  });
});
