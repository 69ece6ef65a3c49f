import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const IMPORTS_VSCODE = /\bfrom\s+['"]vscode['"]|\brequire\(\s*['"]vscode['"]\s*\)|\bimport\(\s*['"]vscode['"]\s*\)/;

function sourceFiles(dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) {
    return [];
  }
  return fs
    .readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

/** Paths that may use the VS Code API; everything else must run in plain Node, a worker or the CLI. */
function mayImportVscode(file: string): boolean {
  return (
    file === path.join('src', 'extension.ts') ||
    file.startsWith(path.join('src', 'vscode') + path.sep) ||
    // The browser build's entry and its extension-host side (src/web/worker/ is the worker).
    file === path.join('src', 'web', 'extension.ts') ||
    file.startsWith(path.join('src', 'web', 'host') + path.sep)
  );
}

describe('layering', () => {
  it('imports vscode only in the extension entries, src/vscode/ and src/web/host/', () => {
    const offenders = sourceFiles('src').filter((file) => !mayImportVscode(file) && IMPORTS_VSCODE.test(fs.readFileSync(path.join(root, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('keeps unit tests free of vscode', () => {
    const offenders = sourceFiles(path.join('test', 'unit')).filter((file) => IMPORTS_VSCODE.test(fs.readFileSync(path.join(root, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
