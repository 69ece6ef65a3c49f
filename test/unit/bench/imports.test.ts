import * as assert from 'node:assert/strict';
import { importedFiles } from '../../bench/completion/imports';

describe('bench: files a source imports', () => {
  const files = new Set(['src/a.ts', 'src/util/index.ts', 'src/util/math.js', 'lib/helpers.tsx', 'src/types.d.ts', 'src/main.ts']);

  it('resolves relative imports, requires and re-exports to package files, in import order, each once', () => {
    const text = [
      "import { b } from './util/math';",
      "import type { T } from './types';",
      "const helpers = require('../lib/helpers');",
      "export * from './util';",
      "import './a.js';",
      "import { again } from './util/math';",
      "const lazy = import('./a');",
    ].join('\n');
    assert.deepEqual(importedFiles('src/main.ts', text, files), ['src/util/math.js', 'src/types.d.ts', 'lib/helpers.tsx', 'src/util/index.ts', 'src/a.ts']);
  });

  it('ignores packages, files outside the set, the file itself and specifiers in other strings', () => {
    const text = [
      "import * as fs from 'fs';",
      "import { x } from './missing';",
      "import { y } from './main';",
      "const label = 'see ./a for details';",
    ].join('\n');
    assert.deepEqual(importedFiles('src/main.ts', text, files), []);
  });
});
