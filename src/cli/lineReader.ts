/**
 * JSON lines from stdin without readline: readline builds each line as one string, and a line
 * of 600 MB makes it throw `RangeError: Invalid string length` (and loses every line after it).
 * Here chunks are split at line feeds as they come; a line is decoded only once it is complete,
 * and a line longer than the limit is dropped while its bytes are still coming, counted but not
 * kept, so memory stays within the limit whatever the input.
 */

/** A line that was longer than the limit: only its length is known. */
export interface OverlongLine {
  readonly overlongBytes: number;
  readonly limitBytes: number;
}

export type InputLine = string | OverlongLine;

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = '\r';

/** Splits byte chunks into lines (UTF-8, `\n` or `\r\n`), dropping lines over `maxLineBytes`. */
export class LineSplitter {
  private parts: Buffer[] = [];
  /** Bytes of the current line so far, kept or not. */
  private lineBytes = 0;
  private dropping = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes held for the line in progress (never more than the limit). */
  get bufferedBytes(): number {
    return this.dropping ? 0 : this.lineBytes;
  }

  /** The lines this chunk completes. */
  push(chunk: Buffer): InputLine[] {
    const lines: InputLine[] = [];
    let start = 0;
    for (;;) {
      const lineFeed = chunk.indexOf(LINE_FEED, start);
      const end = lineFeed < 0 ? chunk.length : lineFeed;
      this.add(chunk.subarray(start, end));
      if (lineFeed < 0) {
        return lines;
      }
      lines.push(this.finish());
      start = lineFeed + 1;
    }
  }

  /** The last line, when the input did not end with a line feed. */
  end(): InputLine[] {
    return this.lineBytes > 0 ? [this.finish()] : [];
  }

  private add(piece: Buffer): void {
    this.lineBytes += piece.length;
    if (this.dropping || piece.length === 0) {
      return;
    }
    if (this.lineBytes > this.maxLineBytes) {
      this.dropping = true;
      this.parts = [];
    } else {
      this.parts.push(piece);
    }
  }

  private finish(): InputLine {
    const line: InputLine = this.dropping
      ? { overlongBytes: this.lineBytes, limitBytes: this.maxLineBytes }
      : withoutCarriageReturn(Buffer.concat(this.parts).toString('utf8'));
    this.parts = [];
    this.lineBytes = 0;
    this.dropping = false;
    return line;
  }
}

/** The lines of a byte stream (such as process.stdin), read chunk by chunk. */
export async function* readLines(chunks: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<InputLine> {
  const splitter = new LineSplitter(maxLineBytes);
  for await (const chunk of chunks) {
    yield* splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
  yield* splitter.end();
}

export function overlongMessage(line: OverlongLine): string {
  return `request line of ${line.overlongBytes} bytes is longer than the limit of ${line.limitBytes} bytes (--max-line-bytes); it was skipped`;
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith(CARRIAGE_RETURN) ? line.slice(0, -1) : line;
}
