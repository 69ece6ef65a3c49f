import * as assert from 'node:assert/strict';
import { namesOnlyInOpenFiles } from '../../bench/completion/copyable';

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
