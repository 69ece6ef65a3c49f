import * as assert from 'node:assert/strict';
import { SnippetSelector } from '../../../src/core/completion/snippets';
import { TimeSlicer } from '../../../src/core/completion/timeSlicer';
import type { SourceText } from '../../../src/core/completion/types';

/**
 * Few-shot snippets are indexed and scored ahead of the prompt in time slices, so the extension
 * host's event loop gets a turn during a scan of many large open files, and select() then picks
 * exactly what a scan in one piece would have picked.
 */
function largeSource(index: number, lines: number): SourceText {
  const text = Array.from({ length: lines }, (_, line) => `export function handler${index}x${line}(request: Request) { return respond(request.items${line % 7}, options${index}); }`).join('\n');
  return { path: `src/file${index}.ts`, text };
}

describe('snippet preparation in time slices', () => {
  const openFiles = Array.from({ length: 6 }, (_, index) => largeSource(index, 3000));
  const query = { text: 'export function total(request: Request) {\n  return respond(request.items3, options2);\n', currentPath: 'src/current.ts', contextText: '' };

  it('yields to the event loop while it scans, and select() picks the same snippets as an unprepared scan', async () => {
    const slicer = new TimeSlicer(1);
    const prepared = new SnippetSelector();
    await prepared.prepare(query, { openFiles, recentEdits: [] }, slicer);
    assert.ok(slicer.yields > 0, 'the scan gave the event loop turns');
    const fromPrepared = prepared.select(query, { openFiles, recentEdits: [] }, 2000);
    const inOnePiece = new SnippetSelector().select(query, { openFiles, recentEdits: [] }, 2000);
    assert.ok(fromPrepared.length > 0);
    assert.deepEqual(fromPrepared, inOnePiece);
  });

  it('an edited file is scanned again, reusing the windows its edit did not touch', async () => {
    const selector = new SnippetSelector();
    await selector.prepare(query, { openFiles, recentEdits: [] }, new TimeSlicer());
    const edited = openFiles.map((file, index) => (index === 2 ? { ...file, text: `${file.text}\nexport const options2 = respond(request.items3);` } : file));
    await selector.prepare(query, { openFiles: edited, recentEdits: [] }, new TimeSlicer());
    assert.deepEqual(selector.select(query, { openFiles: edited, recentEdits: [] }, 2000), new SnippetSelector().select(query, { openFiles: edited, recentEdits: [] }, 2000));
  });
});
