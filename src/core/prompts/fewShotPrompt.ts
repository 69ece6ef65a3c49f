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

/** The output in what the model generated: its first line, trimmed; undefined when empty. */
export function fewShotOutput(generated: string): string | undefined {
  const output = generated.split(/\r?\n/, 1)[0].trim();
  return output.length > 0 ? output : undefined;
}

/** The input line completed with its output, in the examples' format. */
export function filledLine(task: FewShotTask, input: FewShotInput, output: string): string {
  return `${input.indent}${input.input}${task.joiner}${output}`;
}
