import * as assert from 'node:assert/strict';
import { parseFewShotSelection } from '../../../src/core/prompts/fewShotExamples';
import { FewShotPromptTooLongError, fewShotTokenBudget, generateFewShotOutput } from '../../../src/core/prompts/fewShotGeneration';
import { promptText, ScriptedEngine } from '../core/scriptedEngine';

const TASK = parseFewShotSelection('cat → cats\nhorse → horses\ntree\nbus\n');

describe('few-shot generation (the transform command core)', () => {
  it('generates each input greedily from the examples and reads the first line of the answer', async () => {
    const engine = new ScriptedEngine((prompt) => ` ${prompt.split('\n').at(-1)!.replace(/ →$/, '')}s\ncar → cars`, 0);
    const budget = await fewShotTokenBudget(engine, TASK, 256);
    // The longest example output, "horses", counts 2 tokens in the scripted engine.
    assert.equal(budget, 2 * 2 + 8);
    const first = await generateFewShotOutput(engine, TASK, 0, budget);
    const second = await generateFewShotOutput(engine, TASK, 1, budget);
    assert.deepEqual([first.output, second.output], ['trees', 'buss']);
    assert.ok(first.generatedTokens > 0);
    const call = engine.generateCalls()[1];
    assert.equal(promptText(call.prompt), 'cat → cats\nhorse → horses\nbus →');
    assert.deepEqual({ temperature: call.options?.temperature, maxNewTokens: call.options?.maxNewTokens }, { temperature: 0, maxNewTokens: 12 });
  });

  it('gives no output when cancelled, and a clear error when the examples overflow the context', async () => {
    const controller = new AbortController();
    controller.abort();
    const engine = new ScriptedEngine(() => ' trees', 0);
    assert.equal((await generateFewShotOutput(engine, TASK, 0, 12, controller.signal)).output, undefined);
    // A 12-token context leaves 6 for the prompt after 6 new tokens; this prompt counts 8.
    const tiny = new ScriptedEngine(() => ' trees', 0, undefined, 12);
    await assert.rejects(generateFewShotOutput(tiny, TASK, 0, 12), (error: Error) => error instanceof FewShotPromptTooLongError && /Select fewer or shorter examples/.test(error.message));
  });
});
