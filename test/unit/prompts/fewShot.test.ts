import * as assert from 'node:assert/strict';
import { FewShotSelectionError, parseFewShotSelection } from '../../../src/core/prompts/fewShotExamples';
import { fewShotOutput, fewShotPrompt, fewShotPromptText, filledLine, outputTokenBudget } from '../../../src/core/prompts/fewShotPrompt';
import { assertGolden, readJsonFixture } from '../core/fixtures';

interface FewShotCase {
  readonly name: string;
  readonly selection: string;
  /** What a model might generate for each input, in order: the outputs the parser must read. */
  readonly modelOutputs: readonly string[];
}

const CASES = readJsonFixture<FewShotCase[]>('..', 'prompts', 'fewShot', 'cases.json');

describe('few-shot transform prompts', () => {
  for (const testCase of CASES) {
    it(`${testCase.name} (golden: prompts/fewShot/${testCase.name}.json)`, () => {
      const task = parseFewShotSelection(testCase.selection);
      assert.equal(task.inputs.length, testCase.modelOutputs.length, 'one scripted output per input');
      const results = task.inputs.map((input, index) => {
        const output = fewShotOutput(testCase.modelOutputs[index]);
        return {
          line: input.line,
          prompt: fewShotPromptText(task, input),
          output: output ?? null,
          filled: output === undefined ? null : filledLine(task, input, output),
        };
      });
      assertGolden({ separator: task.separator, joiner: task.joiner, examples: task.examples, results }, '..', 'prompts', 'fewShot', `${testCase.name}.json`);
    });
  }

  it('never ends a prompt with a space (BPE would see a boundary it never saw in training)', () => {
    for (const testCase of CASES) {
      const task = parseFewShotSelection(testCase.selection);
      for (const input of task.inputs) {
        assert.doesNotMatch(fewShotPromptText(task, input), / $/, testCase.name);
      }
    }
  });

  it('shares the examples as the start of every prompt, so the KV cache is reused across inputs', () => {
    const task = parseFewShotSelection('ab → AB\ncd → CD\nef\ngh\n');
    const [first, second] = task.inputs.map((input) => fewShotPromptText(task, input));
    assert.equal(first, 'ab → AB\ncd → CD\nef →');
    assert.equal(second, 'ab → AB\ncd → CD\ngh →');
    assert.deepEqual(fewShotPrompt(task, task.inputs[0]), [{ kind: 'text', text: first }]);
  });

  it('cuts an output after the first unit of a loop, and keeps ordinary repeats', () => {
    assert.equal(fewShotOutput(' be not be not be not be not be not'), 'be not');
    assert.equal(fewShotOutput(' getEmail(): string { return this.email; }\nnext'), 'getEmail(): string { return this.email; }');
    assert.equal(fewShotOutput(' aaa'), 'aaa');
    assert.equal(fewShotOutput(' be not be not not not be not be not be not not not be'), undefined);
    assert.equal(fewShotOutput(' if (a) { return a; } else { return b; }'), 'if (a) { return a; } else { return b; }');
  });

  it('gives each output twice the longest example output plus slack, within the setting', () => {
    assert.equal(outputTokenBudget([3, 7, 5], 256), 2 * 7 + 8);
    assert.equal(outputTokenBudget([3, 7, 5], 12), 12);
    assert.equal(outputTokenBudget([], 256), 8);
  });

  it('prefers an arrow to a colon that is part of the inputs', () => {
    const task = parseFewShotSelection('id: number → getId()\nname: string\n');
    assert.equal(task.separator, '→');
    assert.deepEqual(task.inputs.map((input) => input.input), ['name: string']);
  });

  it('says what to select when there are no examples', () => {
    assert.throws(() => parseFewShotSelection('fooBar\nbazQux\n'), (error: unknown) => {
      assert.ok(error instanceof FewShotSelectionError);
      assert.match(error.message, /No examples found/);
      assert.match(error.message, /→/);
      return true;
    });
  });

  it('says that new inputs are missing when every line is an example', () => {
    assert.throws(() => parseFewShotSelection('a -> b\nc -> d'), /2 example\(s\) but no new input: add lines without "->"/);
  });
});
