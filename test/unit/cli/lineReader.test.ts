import * as assert from 'node:assert/strict';
import { type InputLine, LineSplitter, overlongMessage, readLines } from '../../../src/cli/lineReader';

/** Issue 17, item 3: stdin split into lines by the CLI itself, over-long lines dropped as they come. */

async function* chunksOf(...chunks: (string | Buffer)[]): AsyncIterable<Buffer | string> {
  yield* chunks;
}

async function collect(lines: AsyncIterable<InputLine>): Promise<InputLine[]> {
  const all: InputLine[] = [];
  for await (const line of lines) {
    all.push(line);
  }
  return all;
}

describe('CLI line reader', () => {
  it('splits chunks at line feeds, across chunk ends, with \\r\\n and a last line without a line feed', async () => {
    const lines = await collect(readLines(chunksOf('{"a":1}\n{"b"', ':2}\r\n', '\n{"c":3}'), 100));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });

  it('decodes a UTF-8 character split between two chunks', async () => {
    const bytes = Buffer.from('"caf\u00e9 \u{1F600}"\n', 'utf8');
    const lines = await collect(readLines(chunksOf(bytes.subarray(0, 4), bytes.subarray(4, 11), bytes.subarray(11)), 100));
    assert.deepEqual(lines, ['"caf\u00e9 \u{1F600}"']);
  });

  it('answers a line over the limit with its length and the limit, and reads the next line', async () => {
    const lines = await collect(readLines(chunksOf('ok\n', 'x'.repeat(60), 'y'.repeat(60), '\nnext\n', 'z'.repeat(11)), 10));
    assert.deepEqual(lines, ['ok', { overlongBytes: 120, limitBytes: 10 }, 'next', { overlongBytes: 11, limitBytes: 10 }]);
    assert.deepEqual(await collect(readLines(chunksOf('x'.repeat(10), '\n'), 10)), ['x'.repeat(10)], 'a line of exactly the limit is read');
  });

  it('never holds more than the limit while a huge line streams in', () => {
    const limit = 4 * 1024 * 1024;
    const splitter = new LineSplitter(limit);
    const megabyte = Buffer.alloc(1024 * 1024, 0x61);
    let most = 0;
    for (let index = 0; index < 100; index++) {
      assert.deepEqual(splitter.push(megabyte), []);
      most = Math.max(most, splitter.bufferedBytes);
    }
    assert.ok(most <= limit, `held ${most} bytes`);
    assert.deepEqual(splitter.push(Buffer.from('\n{}\n')), [{ overlongBytes: 100 * 1024 * 1024, limitBytes: limit }, '{}']);
    assert.equal(splitter.bufferedBytes, 0);
  });

  it('names the limit and the option in the error', () => {
    assert.equal(
      overlongMessage({ overlongBytes: 629145600, limitBytes: 16777216 }),
      'request line of 629145600 bytes is longer than the limit of 16777216 bytes (--max-line-bytes); it was skipped',
    );
  });
});
