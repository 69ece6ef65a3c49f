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

  it('types only lines holding a name an open sibling has and the rest of the file does not, when asked', () => {
    const lines = Array.from({ length: 60 }, (_, index) => `const plainValue${index} = compute(${index});`);
    lines[20] = 'const total = sharedHelperName(order);';
    lines[40] = 'const other = anotherSharedName(order) + sharedHelperName(order);';
    lines[50] = 'const again = anotherSharedName(order);';
    const target: HeldOutFile = { source: 'p', path: 'src/main.ts', lang: 'typescript', text: lines.join('\n') };
    const sibling: HeldOutFile = { source: 'p', path: 'src/helpers.ts', lang: 'typescript', text: 'export function sharedHelperName() {}\nexport function anotherSharedName() {}\n' };
    const [selected] = selectTargets([target, sibling], { ...selection, files: 1, positionsPerFile: 10, lines: 'copyable' }).filter((t) => t.file === target);
    // Line 20 and line 40 share sharedHelperName, lines 40 and 50 anotherSharedName: no line has a name of its own.
    assert.equal(selected, undefined);
    lines[20] = 'const total = onlyHereHelper(order);';
    const text = lines.join('\n');
    const withOwn: HeldOutFile = { ...target, text };
    const sibling2: HeldOutFile = { ...sibling, text: sibling.text + 'export function onlyHereHelper() {}\n' };
    const targets = selectTargets([withOwn, sibling2], { ...selection, files: 2, positionsPerFile: 10, lines: 'copyable' });
    const mine = targets.find((t) => t.file === withOwn);
    assert.ok(mine);
    // sharedHelperName is now on line 40 alone; anotherSharedName still on two lines.
    assert.deepEqual(
      mine.positions.map((position) => position.line),
      ['const total = onlyHereHelper(order);', 'const other = anotherSharedName(order) + sharedHelperName(order);'],
    );
  });

  it('opens the files a target imports first when asked, else its folder first', () => {
    const lines = Array.from({ length: 60 }, (_, index) => `const plainValue${index} = compute(${index});`);
    lines[0] = "import { compute } from '../shared/zed';";
    const target: HeldOutFile = { source: 'p', path: 'src/main.ts', lang: 'typescript', text: lines.join('\n') };
    const others = ['src/alpha.ts', 'src/beta.ts', 'shared/zed.ts'].map((path) => ({ source: 'p', path, lang: 'typescript', text: 'export const x = 1;\n' }));
    const siblingPaths = (open: 'folder' | 'imports') =>
      selectTargets([target, ...others], { ...selection, files: 1, siblingsPerFile: 2, open })
        .find((t) => t.file === target)
        ?.siblings.map((sibling) => sibling.path);
    assert.deepEqual(siblingPaths('folder'), ['src/alpha.ts', 'src/beta.ts']);
    assert.deepEqual(siblingPaths('imports'), ['shared/zed.ts', 'src/alpha.ts']);
  });
});
