import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FewShotResult } from '../../src/vscode/commands/fewShotTransform';
import { promptText, ScriptedEngine } from '../unit/core/scriptedEngine';
import { editorWith, realEngine, undo, withCommandEngine } from './commandTestSupport';
import { repoModel, withSettings } from './inlineTestSupport';
import { activatedApi } from './extension';
import PATTERNS from '../fixtures/prompts/fewShot/patterns.json';

const CAMEL_TO_SNAKE = ['getUserName → get_user_name', 'parseHttpResponse → parse_http_response', 'isValid → is_valid', 'loadConfigFile', 'sendEmailNow', ''].join('\n');

/** A stand-in that really follows the pattern: snake_case of the prompt's last input. */
function snakeCaseEngine(): ScriptedEngine {
  return new ScriptedEngine((prompt) => {
    const input = prompt.split('\n').at(-1)!.replace(/ →$/, '');
    return ` ${input.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}\nnext → line`;
  }, 1);
}

describe('few-shot transform command', () => {
  before(async () => {
    await activatedApi();
  });

  it('fills each new input from the examples, in one edit and one undo step', async () => {
    const editor = await editorWith(CAMEL_TO_SNAKE, 'plaintext', 0, CAMEL_TO_SNAKE.length);
    const engine = snakeCaseEngine();
    const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<FewShotResult>('localGpt.fewShotTransform'));
    assert.equal(result.stopReason, 'done');
    assert.equal(result.examples, 3);
    assert.deepEqual(result.lines.map((line) => line.output), ['load_config_file', 'send_email_now']);
    assert.equal(
      editor.document.getText(),
      ['getUserName → get_user_name', 'parseHttpResponse → parse_http_response', 'isValid → is_valid', 'loadConfigFile → load_config_file', 'sendEmailNow → send_email_now', ''].join('\n'),
    );
    const prompts = engine.generateCalls().map((call) => promptText(call.prompt));
    assert.ok(prompts[0].endsWith('is_valid\nloadConfigFile →') && prompts[1].endsWith('is_valid\nsendEmailNow →'));
    assert.deepEqual(engine.generateCalls()[0].options?.stopSequences, ['\n']);
    await undo(editor);
    assert.equal(editor.document.getText(), CAMEL_TO_SNAKE);
  });

  it('says what to select when the selection has no examples', async () => {
    await editorWith('fooBar\nbazQux\n', 'plaintext', 0, 14);
    const result = await withCommandEngine(snakeCaseEngine(), () => vscode.commands.executeCommand<{ error: string }>('localGpt.fewShotTransform'));
    assert.match(result.error, /No examples found/);
  });

  it('runs with inline few-shot context off; each input gets twice the longest example output plus slack, within localGpt.prompt.maxTokens', async () => {
    // localGpt.fewShot.* configure the inline completions' snippets, not this command.
    const editor = await editorWith(CAMEL_TO_SNAKE, 'plaintext', 0, CAMEL_TO_SNAKE.length);
    const restore = await withSettings({ 'fewShot.enable': false, 'fewShot.maxTokens': 7, 'prompt.maxTokens': 48 });
    try {
      const engine = snakeCaseEngine();
      const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<FewShotResult>('localGpt.fewShotTransform'));
      assert.equal(result.stopReason, 'done');
      assert.deepEqual(result.lines.map((line) => line.output), ['load_config_file', 'send_email_now']);
      // The longest example output, "parse_http_response", counts 5 tokens in the scripted engine.
      assert.equal(engine.generateCalls()[0].options?.maxNewTokens, 2 * 5 + 8);
      await undo(editor);
      await withSettings({ 'prompt.maxTokens': 6 });
      await editorWith(CAMEL_TO_SNAKE, 'plaintext', 0, CAMEL_TO_SNAKE.length);
      const capped = snakeCaseEngine();
      await withCommandEngine(capped, () => vscode.commands.executeCommand<FewShotResult>('localGpt.fewShotTransform'));
      assert.equal(capped.generateCalls()[0].options?.maxNewTokens, 6);
      await undo(editor);
    } finally {
      await restore();
    }
  });
});

/**
 * Of the patterns' 20 new inputs, the shipped lgc-small (since 2026-12-04 the 15.7M-parameter
 * GPU-trained weights; the 7.9M CPU-trained ones before got 6) gets 11 exactly right, greedy, in
 * `npm run bench:fewshot` and in this suite; the bound leaves two for near ties that another thread
 * count may break the other way. A retrained model that learns less in context fails here.
 */
const LGC_SMALL_MIN_RIGHT = 9;

/**
 * The same command on the default model, when the checkout has it. Each pattern's test title
 * shows the outputs and checks that each input got a one-line answer in the pattern's format;
 * the last test checks how many are exactly right.
 */
describe('few-shot transform on models/lgc-small', function () {
  this.timeout(300_000);
  const model = repoModel('lgc-small');
  const rightByPattern = new Map<string, number>();

  if ('missing' in model) {
    it.skip(`${PATTERNS.map((pattern) => pattern.name).join(', ')}: skipped, ${model.missing}`, () => undefined);
    return;
  }
  for (const pattern of PATTERNS) {
    it(pattern.name, async function () {
      const engine = await realEngine(model.dir);
      try {
        const editor = await editorWith(pattern.selection, 'plaintext', 0, pattern.selection.length);
        const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<FewShotResult>('localGpt.fewShotTransform'));
        assert.equal(result.stopReason, 'done', JSON.stringify(result));
        const outputs = result.lines.map((line) => line.output ?? '');
        const right = outputs.filter((output, index) => output === pattern.expected[index]).length;
        // The spec reporter prints the title when the test ends: the measured outputs go there.
        this.test!.title += `: ${JSON.stringify(outputs)}, ${right}/${outputs.length} as expected`;
        rightByPattern.set(pattern.name, right);
        for (const line of result.lines.filter((candidate) => candidate.output !== undefined)) {
          assert.ok(!line.output!.includes('\n'));
          assert.ok(editor.document.lineAt(line.line).text.includes(line.output!));
        }
      } finally {
        await engine.dispose();
      }
    });
  }

  it(`gets at least ${LGC_SMALL_MIN_RIGHT} of the new inputs exactly right by in-context learning`, function () {
    assert.equal(rightByPattern.size, PATTERNS.length, 'every pattern ran');
    const right = [...rightByPattern.values()].reduce((sum, count) => sum + count, 0);
    this.test!.title += `: ${right}/${PATTERNS.reduce((sum, pattern) => sum + pattern.expected.length, 0)}`;
    assert.ok(right >= LGC_SMALL_MIN_RIGHT, `${right} right, fewer than ${LGC_SMALL_MIN_RIGHT}`);
  });
});
