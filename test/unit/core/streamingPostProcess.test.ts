import * as assert from 'node:assert/strict';
import type { FilterContext } from '../../../src/core/completion/postprocess/filterContext';
import { postProcess, StreamingPostProcessor } from '../../../src/core/completion/postprocess/postProcess';
import { findLoop, LoopScanner } from '../../../src/core/completion/postprocess/stopAtLoop';
import { trimTrailingWhitespace } from '../../../src/core/completion/postprocess/trimTrailingWhitespace';

/**
 * Streaming post-processing works on what is new (the filters rerun only when a line completes,
 * the loop check scans only the added characters) and gives, at every delta, what processing the
 * whole text so far gives.
 */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The whole-text reference: what postProcessPartial computed before it was made incremental. */
function wholeText(raw: string, context: FilterContext): { text: string; done: boolean } {
  const lineEnd = raw.lastIndexOf('\n');
  const looping = findLoop(raw) !== undefined;
  if (lineEnd < 0) return { text: '', done: looping };
  const complete = raw.slice(0, lineEnd);
  const text = postProcess(complete, { ...context, final: false });
  const cut = text !== trimTrailingWhitespace(complete);
  const lines = text.length === 0 ? 0 : text.split('\n').length;
  return { text, done: context.mode === 'single-line' || cut || looping || lines >= context.maxLines };
}

const PIECES = ['const ', 'total', ' = ', 'values', '.reduce(', '(sum, v) => sum + v', ', 0);', '\n', '  ', 'return total;', '\n}', '\n', 'ab', 'ab', 'x', ' + ', '{', '}', '(', ')', '\n\n'];

describe('streaming post-processing', () => {
  it('finds a loop exactly when findLoop on the whole text does, delta by delta', () => {
    const random = seededRandom(7);
    for (let stream = 0; stream < 200; stream++) {
      const scanner = new LoopScanner();
      let text = '';
      for (let delta = 0; delta < 40; delta++) {
        text += PIECES[Math.floor(random() * PIECES.length)];
        assert.equal(scanner.push(text), findLoop(text) !== undefined, JSON.stringify(text));
      }
    }
  });

  it('gives at every delta what processing the whole text so far gives', () => {
    const random = seededRandom(11);
    const contexts: FilterContext[] = [
      { prefix: 'function sum(values) {\n  ', suffix: '\n}\n', mode: 'multi-line', maxLines: 8, final: false },
      { prefix: 'const x = ', suffix: '\n', mode: 'single-line', maxLines: 8, final: false },
      { prefix: 'if (ready) {\n  ', suffix: '', mode: 'multi-line', maxLines: 3, final: false, wholePrefix: true },
    ];
    for (const context of contexts) {
      for (let stream = 0; stream < 100; stream++) {
        const streaming = new StreamingPostProcessor(context);
        let raw = '';
        for (let delta = 0; delta < 30; delta++) {
          raw += PIECES[Math.floor(random() * PIECES.length)];
          assert.deepEqual(streaming.push(raw), wholeText(raw, context), JSON.stringify(raw));
        }
      }
    }
  });
});
