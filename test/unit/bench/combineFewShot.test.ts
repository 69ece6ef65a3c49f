import * as assert from 'node:assert/strict';
import { pooled } from '../../bench/combineFewShot';

describe('bench: pooling few-shot runs', () => {
  const request = (line: string, off: boolean, on: boolean) => ({ line, exact: { 'few-shot off, GPT alone': off, 'few-shot on,  GPT alone': on } });

  it("keeps every request of a line from the first run that typed it, and drops that line's requests from later runs", () => {
    const first = [request('p/a.ts:10', false, true), request('p/a.ts:10', true, true), request('p/a.ts:90', false, false)];
    const second = [request('p/a.ts:10', true, false), request('p/b.ts:5', false, true)];
    assert.deepEqual(pooled([first, second]), [...first, second[1]]);
  });
});
