import { stopAtLoop } from '../completion/postprocess/stopAtLoop';
import type { PromptPart } from '../engine';
import type { FewShotInput, FewShotTask } from './fewShotExamples';

/**
 * GPT-3 style in-context learning: the examples as a plain list, then the new input and the
 * separator; the model continues the pattern with the output and a line break.
 *
 * The prompt ends with the separator and not with the space after it: byte-level BPE merges a
 * space with the word that follows, so a trailing space would leave the model a token boundary it
 * never saw in training. The output's leading space is dropped and the example's joiner restored.
 */

/** One input line at a time, each stopped at the end of its line. */
export const FEW_SHOT_STOP_SEQUENCES: readonly string[] = ['\n'];

/**
 * An output may be this many times as long as the longest example output, plus some slack: a
 * pattern's outputs have similar lengths, and a small model that misses the line break would
 * otherwise ramble up to the prompt token limit on every line.
 */
export const OUTPUT_LENGTH_FACTOR = 2;
export const OUTPUT_SLACK_TOKENS = 8;

/** Tokens to generate per input, from the examples' output lengths in tokens. */
export function outputTokenBudget(exampleOutputTokens: readonly number[], maxTokensSetting: number): number {
  const longest = Math.max(0, ...exampleOutputTokens);
  return Math.max(1, Math.min(maxTokensSetting, OUTPUT_LENGTH_FACTOR * longest + OUTPUT_SLACK_TOKENS));
}

export function fewShotPromptText(task: FewShotTask, input: FewShotInput): string {
  const joinerEnd = task.joiner.trimEnd();
  const lines = task.examples.map((example) => `${example.input}${task.joiner}${example.output}\n`);
  return `${lines.join('')}${input.input}${joinerEnd.length > 0 ? joinerEnd : task.joiner}`;
}

/**
 * The prompt for one input. Every input shares the examples at the start, so the engine reuses
 * its KV cache and only the new input line is prefilled.
 */
export function fewShotPrompt(task: FewShotTask, input: FewShotInput): PromptPart[] {
  return [{ kind: 'text', text: fewShotPromptText(task, input) }];
}

/**
 * A small model that misses the pattern often cycles through two or three words with no fixed
 * period (`be not be not not not be`), which stopAtLoop's exact repeats do not catch: an output
 * of at least this many words, with at most a third of them distinct, is no answer.
 */
const MIN_WORDS_FOR_CYCLE = 6;

/**
 * The output in what the model generated: its first line, cut after the first unit of a loop
 * (`be not be not be not…`), trimmed; undefined when empty or a cycle of a few words.
 */
export function fewShotOutput(generated: string): string | undefined {
  const output = stopAtLoop(generated.split(/\r?\n/, 1)[0]).trim();
  const words = output.split(/\s+/);
  if (words.length >= MIN_WORDS_FOR_CYCLE && new Set(words).size * 3 <= words.length) {
    return undefined;
  }
  return output.length > 0 ? output : undefined;
}

/** The input line completed with its output, in the examples' format. */
export function filledLine(task: FewShotTask, input: FewShotInput, output: string): string {
  return `${input.indent}${input.input}${task.joiner}${output}`;
}
