import * as assert from 'node:assert/strict';
import { pooled, pooledRows } from '../../bench/combineFewShot';
import { configName, isFewShotOff, withoutFewShot } from '../../bench/completion/configNames';

describe('bench: pooling few-shot runs', () => {
  const request = (line: string, off: boolean, on: boolean) => ({ line, exact: { [configName(false, 'GPT alone')]: off, [configName(true, 'GPT alone')]: on } });

  it('names configurations so that off and on pair up by the rest of the name', () => {
    const [off, on] = [configName(false, 'blend (linear)'), configName(true, 'blend (linear)')];
    assert.deepEqual([off, on], ['few-shot off, blend (linear)', 'few-shot on,  blend (linear)']);
    assert.deepEqual([withoutFewShot(off), withoutFewShot(on), isFewShotOff(off), isFewShotOff(on)], ['blend (linear)', 'blend (linear)', true, false]);
  });

  it("keeps every request of a line from the first run that typed it, and drops that line's requests from later runs", () => {
    const first = [request('p/a.ts:10', false, true), request('p/a.ts:10', true, true), request('p/a.ts:90', false, false)];
    const second = [request('p/a.ts:10', true, false), request('p/b.ts:5', false, true)];
    assert.deepEqual(pooled([first, second]), [...first, second[1]]);
  });

  it('compares off and on over all lines, then over each subset the dumps mark, lines as trials', () => {
    const marked = (line: string, off: boolean, on: boolean, copyable: boolean, verbatim: boolean) => ({ ...request(line, off, on), copyable, verbatim });
    const rows = pooledRows([
      marked('p/a.ts:1', false, true, true, true),
      marked('p/a.ts:1', false, true, true, true),
      marked('p/a.ts:9', true, false, true, false),
      marked('p/b.ts:4', false, false, false, false),
      marked('p/b.ts:8', false, true, false, false),
    ]);
    assert.deepEqual(
      rows.map((row) => [row.name, row.byLine.lines, row.exactLinesOff, row.exactLinesOn, row.byLine.onlyFirst, row.byLine.onlySecond]),
      [
        ['GPT alone', 4, 1, 2, 1, 2],
        ['GPT alone, a name only the open files have', 2, 1, 1, 1, 1],
        ['GPT alone, rest of line verbatim in an open file', 1, 0, 1, 0, 1],
      ],
    );
  });

  it('leaves out a subset that some dump does not mark (dumps written before it existed)', () => {
    const rows = pooledRows([{ ...request('p/a.ts:1', false, true), copyable: true }, request('p/a.ts:2', true, true)]);
    assert.deepEqual(rows.map((row) => row.name), ['GPT alone']);
  });
});

