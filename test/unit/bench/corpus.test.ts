import * as assert from 'node:assert/strict';
import { type HeldOutFile, selectTargets } from '../../bench/completion/corpus';

/** A code file long enough to be a target, its lines distinct. */
function file(source: string, name: string): HeldOutFile {
  const lines = Array.from({ length: 80 }, (_, index) => `export const ${name}Value${index} = compute('${source}', ${index});`);
  return { source, path: `src/${name}.ts`, lang: 'typescript', text: lines.join('\n') };
}

describe('bench: held-out targets', () => {
  const files = ['a', 'b', 'c'].flatMap((source) => ['one', 'two', 'three', 'four'].map((name) => file(source, `${source}${name}`)));
  const selection = { files: 100, positionsPerFile: 3, siblingsPerFile: 2, seed: 5 };

  it('draws one target per package by default, the same with targetsPerSource 1', () => {
    const targets = selectTargets(files, selection);
    assert.equal(targets.length, 3);
    assert.deepEqual(new Set(targets.map((target) => target.file.source)).size, 3);
    assert.deepEqual(selectTargets(files, { ...selection, targetsPerSource: 1 }), targets);
  });

  it('draws up to targetsPerSource distinct files of a package, each with its own siblings', () => {
    const targets = selectTargets(files, { ...selection, targetsPerSource: 3 });
    assert.equal(targets.length, 9);
    assert.equal(new Set(targets.map((target) => `${target.file.source}/${target.file.path}`)).size, 9);
    for (const target of targets) {
      assert.equal(target.positions.length, 3);
      assert.ok(target.siblings.every((sibling) => sibling.path !== target.file.path && sibling.path.startsWith(`src/${target.file.source}`)));
    }
    assert.equal(selectTargets(files, { ...selection, targetsPerSource: 3, files: 4 }).length, 4);
  });
});
