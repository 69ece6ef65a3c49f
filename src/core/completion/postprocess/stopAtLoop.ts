/**
 * Stop at a loop: small models, and larger ones at times, fall into repeating a short unit
 * (`RRRR…`, `' + ' + ' + …`, `* @param {string}` over and over). Such a run is never what the
 * user wants next and, left alone, costs decode time up to the token limit. The completion ends
 * after the run's first unit; while streaming, finding a loop stops the generation.
 */

/** Longest repeated unit looked for, in characters. */
const MAX_LOOP_UNIT_CHARS = 24;
/** A unit seen this many times in a row is a loop... */
const MIN_LOOP_REPEATS = 4;
/** ...if the run is at least this long (a short `----` or `0000` is ordinary text). */
const MIN_LOOP_CHARS = 16;

/** Where the first loop starts, and its unit's length; undefined when there is none. */
export function findLoop(text: string): { start: number; unitChars: number } | undefined {
  let found: { start: number; unitChars: number } | undefined;
  for (let unit = 1; unit <= MAX_LOOP_UNIT_CHARS; unit++) {
    let run = 0;
    const end = found ? Math.min(text.length, found.start + unit * MIN_LOOP_REPEATS + MIN_LOOP_CHARS) : text.length;
    for (let index = unit; index < end; index++) {
      run = text[index] === text[index - unit] ? run + 1 : 0;
      const start = index - run - unit + 1;
      if (run + unit >= Math.max(MIN_LOOP_CHARS, unit * MIN_LOOP_REPEATS) && text.slice(start, start + unit).trim().length > 0) {
        if (!found || start < found.start) {
          found = { start, unitChars: unit };
        }
        break;
      }
    }
  }
  return found;
}

/**
 * Whether a growing text has a loop yet, looking only at what was added since the last call: the
 * per-unit run lengths carry over, so a stream of N characters costs O(N) in all instead of O(N)
 * at each delta. It finds a loop exactly when findLoop on the whole text would.
 */
export class LoopScanner {
  private scanned = 0;
  private readonly runs = new Array<number>(MAX_LOOP_UNIT_CHARS + 1).fill(0);
  private found = false;

  /** `text` must extend the text of the previous call. */
  push(text: string): boolean {
    for (let index = Math.max(1, this.scanned); index < text.length && !this.found; index++) {
      for (let unit = 1; unit <= MAX_LOOP_UNIT_CHARS && unit <= index; unit++) {
        const run = text[index] === text[index - unit] ? this.runs[unit] + 1 : 0;
        this.runs[unit] = run;
        const start = index - run - unit + 1;
        if (run + unit >= Math.max(MIN_LOOP_CHARS, unit * MIN_LOOP_REPEATS) && text.slice(start, start + unit).trim().length > 0) {
          this.found = true;
          break;
        }
      }
    }
    this.scanned = Math.max(this.scanned, text.length);
    return this.found;
  }
}

export function stopAtLoop(completion: string): string {
  const loop = findLoop(completion);
  return loop === undefined ? completion : completion.slice(0, loop.start + loop.unitChars);
}
