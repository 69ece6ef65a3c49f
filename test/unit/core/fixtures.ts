import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Golden fixtures under test/fixtures/completion. Tests run bundled from out/test/..., so the
 * repository root is found by walking up to package.json. UPDATE_GOLDEN=1 rewrites golden files
 * (review the diff before committing).
 */

function repositoryRoot(): string {
  let folder = __dirname;
  while (!fs.existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) {
      throw new Error(`No package.json above ${__dirname}`);
    }
    folder = parent;
  }
  return folder;
}

export const FIXTURES = path.join(repositoryRoot(), 'test', 'fixtures', 'completion');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}

export function readJsonFixture<T>(...parts: string[]): T {
  return JSON.parse(readFixture(...parts)) as T;
}

/** Compares `actual` with the golden JSON file, or writes it when updating. */
export function assertGolden(actual: unknown, ...parts: string[]): void {
  const file = fixturePath(...parts);
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  assert.deepEqual(JSON.parse(text), JSON.parse(fs.readFileSync(file, 'utf8')), `golden ${path.relative(FIXTURES, file)}`);
}
