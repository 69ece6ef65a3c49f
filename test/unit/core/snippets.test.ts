import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { identifiersOf, jaccard, slidingWindows, WINDOW_LINES } from '../../../src/core/completion/snippetIndex';
import { MAX_SNIPPETS, snippetQueryText, SnippetSelector, type SnippetSources } from '../../../src/core/completion/snippets';
import type { SourceText } from '../../../src/core/completion/types';
import { assertGolden, fixturePath, readFixture } from './fixtures';

const CURSOR = '⟨cursor⟩';
const BUDGET_CHARS = 900;

/** Every file below `folder`, with paths relative to it, as open files. */
function openFilesBelow(folder: string): SnippetSources {
  return { openFiles: filesBelow(folder), recentEdits: [] };
}

function openFiles(...files: SourceText[]): SnippetSources {
  return { openFiles: files, recentEdits: [] };
}

function filesBelow(folder: string): SourceText[] {
  return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ path: path.relative(folder, file).split(path.sep).join('/'), text: fs.readFileSync(file, 'utf8') }));
}

describe('few-shot snippets', () => {
  it('measures Jaccard similarity over identifier sets', () => {
    assert.deepEqual([...identifiersOf('const a = order.total + order.tax; x9 = $el')].sort(), ['$el', 'const', 'order', 'tax', 'total', 'x9']);
    assert.equal(jaccard(new Set(['a', 'b']), new Set(['b', 'c'])), 1 / 3);
    assert.equal(jaccard(new Set(), new Set(['a'])), 0);
  });

  it('slides windows of lines with overlap', () => {
    const text = Array.from({ length: 30 }, (_, line) => `line${line}`).join('\n');
    const windows = slidingWindows(text);
    assert.deepEqual(windows.map((window) => window.startLine), [0, 6, 12, 18]);
    assert.equal(windows[0].text.split('\n').length, WINDOW_LINES);
  });

  it('queries with the complete lines before the cursor line only', () => {
    assert.equal(snippetQueryText('a\nb\nc = fo'), 'a\nb\n');
    assert.equal(snippetQueryText(''), '');
    assert.equal(snippetQueryText('function add(a, b) {'), 'function add(a, b) {', 'the first line queries with itself');
  });

  it('selects the windows most like the code before the cursor (golden: snippets/orders)', () => {
    const folder = fixturePath('snippets', 'orders');
    const [prefix] = readFixture('snippets', 'orders', 'current.ts').split(CURSOR);
    const sources = openFilesBelow(path.join(folder, 'files'));
    const query = { text: snippetQueryText(prefix), currentPath: 'src/orders/orderService.ts', contextText: prefix };
    const snippets = new SnippetSelector().select(query, sources, BUDGET_CHARS);
    assert.ok(snippets.length > 0 && snippets.length <= MAX_SNIPPETS);
    assert.ok(snippets.every((snippet) => snippet.path === 'src/orders/orderRepository.ts' || snippet.path === 'src/users/userService.ts'));
    assert.ok(snippets.reduce((chars, snippet) => chars + snippet.path.length + snippet.text.length, 0) <= BUDGET_CHARS);
    assertGolden(
      snippets.map(({ path: file, startLine, score, text }) => ({ path: file, startLine, score: Number(score.toFixed(3)), text })),
      'snippets',
      'orders',
      'expected.json',
    );
  });

  it('cuts a window to whole lines that fit a small budget', () => {
    const [prefix] = readFixture('snippets', 'orders', 'current.ts').split(CURSOR);
    const sources = openFilesBelow(fixturePath('snippets', 'orders', 'files'));
    const smallBudget = 300;
    const snippets = new SnippetSelector().select({ text: snippetQueryText(prefix), currentPath: 'x.ts', contextText: '' }, sources, smallBudget);
    assert.equal(snippets.length, 1);
    const window = sources.openFiles.find((source) => source.path === snippets[0].path)?.text ?? '';
    assert.ok(window.includes(snippets[0].text + '\n'), 'whole lines of the window');
    assert.ok(snippets[0].path.length + snippets[0].text.length <= smallBudget);
  });

  it('returns the same selection while the cursor line is typed', () => {
    const selector = new SnippetSelector();
    const sources = openFilesBelow(fixturePath('snippets', 'orders', 'files'));
    const [prefix] = readFixture('snippets', 'orders', 'current.ts').split(CURSOR);
    const first = selector.select({ text: snippetQueryText(prefix), currentPath: 'x.ts', contextText: '' }, sources, BUDGET_CHARS);
    const typed = prefix + 'if (!ord';
    const second = selector.select({ text: snippetQueryText(typed), currentPath: 'x.ts', contextText: '' }, sources, BUDGET_CHARS);
    assert.equal(second, first);
  });

  it('keeps the previous selection on a new line while it is nearly as good, so the prompt start holds', () => {
    const selector = new SnippetSelector();
    const sources = openFilesBelow(fixturePath('snippets', 'orders', 'files'));
    const [prefix] = readFixture('snippets', 'orders', 'current.ts').split(CURSOR);
    const first = selector.select({ text: snippetQueryText(prefix), currentPath: 'x.ts', contextText: '' }, sources, BUDGET_CHARS);
    const nextLine = prefix + 'if (!order) {\n      ';
    assert.equal(selector.select({ text: snippetQueryText(nextLine), currentPath: 'x.ts', contextText: '' }, sources, BUDGET_CHARS), first);
    const elsewhere = 'export function lerp(a: number, b: number, t: number): number {\n  return Math.min(a, b);\n}\n';
    const moved = selector.select({ text: snippetQueryText(elsewhere), currentPath: 'x.ts', contextText: '' }, sources, BUDGET_CHARS);
    assert.deepEqual(moved.map((snippet) => snippet.path), ['src/util/math.ts']);
  });

  it('keeps the previous selection when only the recent edits changed', () => {
    const selector = new SnippetSelector();
    const { openFiles } = openFilesBelow(fixturePath('snippets', 'orders', 'files'));
    const [prefix] = readFixture('snippets', 'orders', 'current.ts').split(CURSOR);
    const query = { text: snippetQueryText(prefix), currentPath: 'x.ts', contextText: '' };
    const first = selector.select(query, { openFiles, recentEdits: [{ path: 'x.ts', text: 'let a' }] }, BUDGET_CHARS);
    assert.equal(selector.select(query, { openFiles, recentEdits: [{ path: 'x.ts', text: 'let ab' }] }, BUDGET_CHARS), first);
  });

  it('skips the current file, secrets and snippets already in the context', () => {
    const text = 'const orderTotal = computeOrderTotal(order);\nreturn orderTotal;';
    const selector = new SnippetSelector();
    const query = { text, currentPath: 'a.ts', contextText: '' };
    assert.deepEqual(selector.select(query, openFiles({ path: 'a.ts', text }, { path: 'config/.env.local', text }, { path: 'keys/server.pem', text }), BUDGET_CHARS), []);
    assert.deepEqual(new SnippetSelector().select({ ...query, contextText: `x\n${text}\ny` }, openFiles({ path: 'b.ts', text }), BUDGET_CHARS), []);
    assert.equal(new SnippetSelector().select(query, openFiles({ path: 'b.ts', text }), BUDGET_CHARS).length, 1);
  });

  it('takes recent edits of any file, the current one included', () => {
    const text = 'const orderTotal = computeOrderTotal(order);\nreturn orderTotal;';
    const query = { text, currentPath: 'a.ts', contextText: '' };
    const snippets = new SnippetSelector().select(query, { openFiles: [], recentEdits: [{ path: 'a.ts', text }] }, BUDGET_CHARS);
    assert.deepEqual(snippets.map((snippet) => snippet.path), ['a.ts']);
  });
});
