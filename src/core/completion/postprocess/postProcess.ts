import { balanceBrackets } from './balanceBrackets';
import { dropRepetition } from './dropRepetition';
import type { CompletionFilter, FilterContext } from './filterContext';
import { limitLines } from './limitLines';
import { stopAtBlockEnd } from './stopAtBlockEnd';
import { LoopScanner, stopAtLoop } from './stopAtLoop';
import { stopAtSuffix } from './stopAtSuffix';
import { stopAtSuffixClosers } from './stopAtSuffixClosers';
import { stopAtUnsafeChars } from './stopAtUnsafeChars';
import { trimTrailingWhitespace } from './trimTrailingWhitespace';

/**
 * Post-process: the filters in order. The ones that cut come first (each sees what the earlier
 * ones kept; unsafe characters first of all, so no other filter judges text that will not be
 * shown), then whitespace, then the line limit, and last the check for mere repetition, which
 * judges the finished suggestion.
 */
const CUTTING_FILTERS: readonly CompletionFilter[] = [stopAtUnsafeChars, stopAtLoop, stopAtBlockEnd, stopAtSuffix, stopAtSuffixClosers, balanceBrackets];
/** The filters' names, for the log line that says which one left nothing (bundles rename functions). */
const CUTTING_FILTER_NAMES = ['stopAtUnsafeChars', 'stopAtLoop', 'stopAtBlockEnd', 'stopAtSuffix', 'stopAtSuffixClosers', 'balanceBrackets'] as const;

export function postProcess(raw: string, context: FilterContext): string {
  return postProcessSteps(raw, context).text;
}

/**
 * Why a non-empty raw completion came out empty: the name of the first step that left nothing
 * ('singleLine' when the model's first line was empty); undefined when something is left.
 */
export function emptiedBy(raw: string, context: FilterContext): string | undefined {
  return postProcessSteps(raw, context).emptiedBy;
}

function postProcessSteps(raw: string, context: FilterContext): { text: string; emptiedBy?: string } {
  // A single line is cut first, so that no filter judges it by lines that will be dropped.
  let completion = context.mode === 'single-line' ? raw.split('\n', 1)[0] : raw;
  let emptied: string | undefined = raw.trim().length > 0 && completion.trim().length === 0 ? 'singleLine' : undefined;
  const step = (name: string, next: string) => {
    if (emptied === undefined && completion.trim().length > 0 && next.trim().length === 0) {
      emptied = name;
    }
    completion = next;
  };
  CUTTING_FILTERS.forEach((filter, index) => step(CUTTING_FILTER_NAMES[index], filter(completion, context)));
  step('limitLines', limitLines(trimTrailingWhitespace(completion), context));
  if (context.final) {
    step('dropRepetition', dropRepetition(completion, context));
  }
  return { text: completion, emptiedBy: emptied };
}

/**
 * Post-processing of a completion still streaming in: only its complete lines (a partial line may
 * still change), with `done` when a filter already cut them or the model loops, so generation
 * can stop early.
 */
export function postProcessPartial(raw: string, context: FilterContext): { text: string; done: boolean } {
  return new StreamingPostProcessor(context).push(raw);
}

/**
 * postProcessPartial for one stream, working on what is new: the filters run again only when a
 * line is completed (the text they judge changes only then), and the loop check scans only the
 * characters added since the last delta.
 */
export class StreamingPostProcessor {
  private readonly loops = new LoopScanner();
  private lineEnd = -1;
  private lines = { text: '', done: false };

  constructor(private readonly context: FilterContext) {}

  /** `raw` is the whole raw text so far; it extends the previous one. */
  push(raw: string): { text: string; done: boolean } {
    const looping = this.loops.push(raw);
    const lineEnd = raw.lastIndexOf('\n');
    if (lineEnd !== this.lineEnd) {
      this.lineEnd = lineEnd;
      this.lines = this.completeLines(raw.slice(0, lineEnd));
    }
    return { text: this.lines.text, done: this.lines.done || looping };
  }

  private completeLines(complete: string): { text: string; done: boolean } {
    if (this.lineEnd < 0) {
      return { text: '', done: false };
    }
    const text = postProcess(complete, { ...this.context, final: false });
    const cut = text !== trimTrailingWhitespace(complete);
    return { text, done: this.context.mode === 'single-line' || cut || lineCount(text) >= this.context.maxLines };
  }
}

function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length;
}

export type { FilterContext } from './filterContext';
