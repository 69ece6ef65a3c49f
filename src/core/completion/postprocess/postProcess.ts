import { balanceBrackets } from './balanceBrackets';
import { dropRepetition } from './dropRepetition';
import type { CompletionFilter, FilterContext } from './filterContext';
import { limitLines } from './limitLines';
import { stopAtBlockEnd } from './stopAtBlockEnd';
import { findLoop, stopAtLoop } from './stopAtLoop';
import { stopAtSuffix } from './stopAtSuffix';
import { stopAtSuffixClosers } from './stopAtSuffixClosers';
import { trimTrailingWhitespace } from './trimTrailingWhitespace';

/**
 * Post-process: the filters in order. The ones that cut come first (each sees what the earlier
 * ones kept), then whitespace, then the line limit, and last the check for mere repetition, which
 * judges the finished suggestion.
 */
const CUTTING_FILTERS: readonly CompletionFilter[] = [stopAtLoop, stopAtBlockEnd, stopAtSuffix, stopAtSuffixClosers, balanceBrackets];

export function postProcess(raw: string, context: FilterContext): string {
  // A single line is cut first, so that no filter judges it by lines that will be dropped.
  let completion = context.mode === 'single-line' ? raw.split('\n', 1)[0] : raw;
  for (const filter of CUTTING_FILTERS) {
    completion = filter(completion, context);
  }
  completion = limitLines(trimTrailingWhitespace(completion), context);
  return context.final ? dropRepetition(completion, context) : completion;
}

/**
 * Post-processing of a completion still streaming in: only its complete lines (a partial line may
 * still change), with `done` when a filter already cut them or the model loops, so generation
 * can stop early.
 */
export function postProcessPartial(raw: string, context: FilterContext): { text: string; done: boolean } {
  const lineEnd = raw.lastIndexOf('\n');
  const looping = findLoop(raw) !== undefined;
  if (lineEnd < 0) {
    return { text: '', done: looping };
  }
  const complete = raw.slice(0, lineEnd);
  const text = postProcess(complete, { ...context, final: false });
  const cut = text !== trimTrailingWhitespace(complete);
  const done = context.mode === 'single-line' || cut || looping || lineCount(text) >= context.maxLines;
  return { text, done };
}

function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length;
}

export type { FilterContext } from './filterContext';
