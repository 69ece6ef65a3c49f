import * as assert from 'node:assert/strict';
import { namesOnlyInOpenFiles, verbatimInOpenFiles } from '../../bench/completion/copyable';

describe('bench: names only the open files have', () => {
  const openFiles = [
    { path: 'src/user.ts', text: 'export interface User { userName: string; createdAt: Date }' },
    { path: 'src/db.ts', text: 'export function connectDatabase(url: string) {}' },
  ];

  it('finds a name of the expected text that a sibling has and the current file lacks', () => {
    assert.deepEqual(namesOnlyInOpenFiles('return user.userName;', 'function show(user) {\n  \n}', openFiles), ['userName']);
    assert.deepEqual(namesOnlyInOpenFiles('connectDatabase(userName)', '', openFiles), ['connectDatabase', 'userName']);
  });

  it('ignores names the current file already has, names no open file has, and short names', () => {
    assert.deepEqual(namesOnlyInOpenFiles('return user.userName;', 'const userName = 1;', openFiles), []);
    assert.deepEqual(namesOnlyInOpenFiles('return item.totalPrice;', '', openFiles), []);
    assert.deepEqual(namesOnlyInOpenFiles('url', '', openFiles), []);
  });
});

describe('bench: rest of the line verbatim in an open file', () => {
  const openFiles = [{ path: 'src/a.ts', text: "import { join } from 'node:path';\nexport const SEP = '/';" }];

  it('holds when an open file has the text as it is and the current file does not', () => {
    assert.equal(verbatimInOpenFiles("import { join } from 'node:path';", 'const x = 1;', openFiles), true);
    assert.equal(verbatimInOpenFiles("{ join } from 'node:path';", '', openFiles), true);
  });

  it('fails for text the current file has, text no open file has as it is, and short text', () => {
    assert.equal(verbatimInOpenFiles("import { join } from 'node:path';", "import { join } from 'node:path';\n", openFiles), false);
    assert.equal(verbatimInOpenFiles("import { join } from 'path';", '', openFiles), false);
    assert.equal(verbatimInOpenFiles("= '/';", '', openFiles), false);
  });
});
