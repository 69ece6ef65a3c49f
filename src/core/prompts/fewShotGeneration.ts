import type { CompletionEngine } from '../engine';
import type { FewShotTask } from './fewShotExamples';
import { FEW_SHOT_STOP_SEQUENCES, fewShotOutput, fewShotPrompt, outputTokenBudget } from './fewShotPrompt';
import { generationBudget, promptTokens } from './promptBudget';

/**
 * Running a few-shot task on an engine, input by input: the part of the transform command that
 * needs no editor, shared with `npm run bench:fewshot` so that the benchmark measures exactly
 * what the command does.
 */

export class FewShotPromptTooLongError extends Error {
  override readonly name = 'FewShotPromptTooLongError';
}

/** Tokens each input may generate: from the examples' outputs, within the prompt.maxTokens setting. */
export async function fewShotTokenBudget(engine: Pick<CompletionEngine, 'countTokens'>, task: FewShotTask, maxTokensSetting: number): Promise<number> {
  const exampleOutputTokens = await Promise.all(task.examples.map((example) => engine.countTokens(example.output)));
  return outputTokenBudget(exampleOutputTokens, maxTokensSetting);
}

export interface FewShotGeneration {
  /** What the model produced for the input; undefined when nothing usable (or cancelled). */
  readonly output: string | undefined;
  readonly generatedTokens: number;
  readonly durationMs: number;
}

/** Greedy output for input `index`, stopped at the end of its line. */
export async function generateFewShotOutput(
  engine: CompletionEngine,
  task: FewShotTask,
  index: number,
  maxNewTokens: number,
  signal?: AbortSignal,
): Promise<FewShotGeneration> {
  const info = await engine.info();
  const budget = generationBudget(maxNewTokens, info.contextTokens, info.contextTokens);
  const prompt = fewShotPrompt(task, task.inputs[index]);
  const tokens = await promptTokens(engine, prompt);
  if (tokens > info.contextTokens - budget.maxNewTokens) {
    throw new FewShotPromptTooLongError(
      `The examples take ${tokens} tokens, more than the ${info.contextTokens - budget.maxNewTokens} the model's context leaves for them. Select fewer or shorter examples.`,
    );
  }
  const started = Date.now();
  const result = await engine.generate(prompt, { maxNewTokens: budget.maxNewTokens, temperature: 0, stopSequences: FEW_SHOT_STOP_SEQUENCES, signal });
  return {
    output: result.stopReason === 'cancelled' ? undefined : fewShotOutput(result.text),
    generatedTokens: result.generatedTokens,
    durationMs: Date.now() - started,
  };
}
