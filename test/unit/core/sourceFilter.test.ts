import * as assert from 'node:assert/strict';
import { looksBinary, looksLikeSecretPath, looksMinified, MAX_SOURCE_CHARS, refusalReason } from '../../../src/core/completion/sourceFilter';
import { readJsonFixture } from './fixtures';

describe('source filter', () => {
  const paths = readJsonFixture<{ secret: string[]; notSecret: string[] }>('sourceFilter', 'paths.json');

  for (const path of paths.secret) {
    it(`refuses ${path} as a secret`, () => assert.equal(looksLikeSecretPath(path), true));
  }
  for (const path of paths.notSecret) {
    it(`accepts ${path}`, () => assert.equal(looksLikeSecretPath(path), false));
  }

  it('recognizes binary text, minified text and large files from a sample', () => {
    assert.equal(looksBinary('PNG\u0000\u0001\u0002'), true);
    assert.equal(looksBinary('\ufffd\ufffd\ufffdELF\ufffd'.repeat(50)), true);
    assert.equal(looksBinary('const a = 1;\n\tb();\r\n'), false);
    assert.equal(looksMinified('var a=1;'.repeat(1000)), true);
    assert.equal(looksMinified('const a = 1;\n'.repeat(1000)), false);
    assert.equal(refusalReason({ path: 'a.ts', text: 'x'.repeat(MAX_SOURCE_CHARS + 1) }), 'too large');
    assert.equal(refusalReason({ path: 'a.ts', text: 'const a = 1;\n' }), undefined);
  });
});
