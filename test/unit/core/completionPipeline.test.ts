import * as assert from 'node:assert/strict';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import { optionsFromSettings } from '../../../src/core/completion/pipelineOptions';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import type { PipelineOptions } from '../../../src/core/completion/types';
import { requestAt, TEST_OPTIONS } from './requests';
import { delay, promptText, ScriptedEngine } from './scriptedEngine';

/** The scripted model always continues `return ` with this line (one token per character, within the single-line bound). */
const ANSWER = 'order.total + tax;\n';

function pipelineWith(engine: ScriptedEngine, options: Partial<PipelineOptions> = {}): CompletionPipeline {
  return new CompletionPipeline(engine, () => ({ ...TEST_OPTIONS, ...options }));
}

describe('completion pipeline (orchestrator)', () => {
  it('takes its options from the settings', () => {
    assert.deepEqual(optionsFromSettings(DEFAULT_SETTINGS), TEST_OPTIONS);
  });

  it('says when a suggestion is cached for a request, also one typed through, so the provider need not debounce', async () => {
    const pipeline = pipelineWith(new ScriptedEngine(() => ANSWER));
    const asked = requestAt('function f(order) {\n  return ');
    assert.equal(pipeline.hasCachedSuggestion(asked), false);
    await pipeline.complete(asked);
    assert.equal(pipeline.hasCachedSuggestion(asked), true);
    assert.equal(pipeline.hasCachedSuggestion(requestAt('function f(order) {\n  return ord')), true, 'typing through the suggestion');
    assert.equal(pipeline.hasCachedSuggestion(requestAt('function f(order) {\n  return x')), false, 'typing something else');
  });

  it('completes the rest of the line through the engine and reports its figures', async () => {
    const engine = new ScriptedEngine(() => ANSWER);
    const result = await pipelineWith(engine).complete(requestAt('function f(order) {\n  return '));
    assert.equal(result?.completion, 'order.total + tax;');
    assert.equal(result?.source, 'generated');
    assert.equal(result?.mode, 'single-line');
    assert.ok((result?.promptTokens ?? 0) > 0 && result?.generatedTokens === ANSWER.length);
    assert.deepEqual(engine.generateCalls()[0].options?.stopSequences, ['\n']);
    assert.equal(engine.generateCalls()[0].options?.useNgramCache, true);
  });

  it('puts few-shot snippets from other open files first, and none when few-shot is off', async () => {
    const other = { path: 'src/order.ts', text: 'export function total(order) {\n  return order.total + order.tax;\n}\n' };
    const request = requestAt('function f(order) {\n  const total = order.total;\n  return ', '\n', { openFiles: [other] });
    const engine = new ScriptedEngine(() => ANSWER);
    await pipelineWith(engine).complete(request);
    assert.ok(promptText(engine.calls[0].prompt).startsWith('<fileSeparator>src/order.ts\nexport function total'));
    const without = new ScriptedEngine(() => ANSWER);
    await pipelineWith(without, { fewShot: false }).complete(request);
    assert.ok(promptText(without.calls[0].prompt).startsWith('<fimPrefix><fimSuffix>'));
  });

  it('answers an empty completion, with its figures, when the suggestion is not worth showing', async () => {
    const engine = new ScriptedEngine(() => 'x++;\n');
    const pipeline = pipelineWith(engine);
    const result = await pipeline.complete(requestAt('function f() {\n  x++;\n  ', '\n}'));
    assert.equal(result?.completion, '');
    assert.ok((result?.promptTokens ?? 0) > 0);
    assert.equal((await pipeline.complete(requestAt('function f() {\n  x++;\n  ', '\n}')))?.source, 'cache');
  });

  it('cancels through the AbortSignal and stops the engine', async () => {
    const engine = new ScriptedEngine(() => ANSWER, 5);
    const controller = new AbortController();
    const pending = pipelineWith(engine).complete(requestAt('return '), { signal: controller.signal });
    await delay(20);
    controller.abort();
    assert.equal(await pending, undefined);
    await delay(20);
    assert.equal(engine.generateCalls()[0].stoppedBy, 'abort');
  });

  it('lets the newest request win and stops the older generation', async () => {
    const engine = new ScriptedEngine((prompt) => (prompt.endsWith('let b = ') ? 'second.value;' : 'first.value;'), 5);
    const pipeline = pipelineWith(engine);
    const older = pipeline.complete(requestAt('let a = '));
    await delay(1);
    const newer = pipeline.complete(requestAt('let a = 1;\nlet b = '));
    assert.equal(await older, undefined);
    assert.equal((await newer)?.completion, 'second.value;');
    assert.equal(engine.generateCalls()[0].stoppedBy, 'abort');
  });

  it('serves typing-through from the cache without the engine', async () => {
    const engine = new ScriptedEngine(() => ANSWER);
    const pipeline = pipelineWith(engine);
    await pipeline.complete(requestAt('return '));
    const typed = await pipeline.complete(requestAt('return order.to'));
    assert.equal(typed?.completion, 'tal + tax;');
    assert.equal(typed?.source, 'cache');
    assert.equal(engine.generateCalls().length, 1);
  });

  it('follows a generation in flight when the user types what it is producing', async () => {
    const engine = new ScriptedEngine(() => ANSWER, 5);
    const pipeline = pipelineWith(engine);
    const first = pipeline.complete(requestAt('return '));
    await delay(40);
    const second = await pipeline.complete(requestAt('return or'));
    assert.equal(await first, undefined, 'the older request is superseded');
    assert.equal(second?.completion, 'der.total + tax;');
    assert.equal(second?.source, 'in-flight');
    assert.equal(engine.generateCalls().length, 1);
    assert.equal(engine.generateCalls()[0].stoppedBy, 'end');
  });

  it('starts a new generation when the typed text differs from the one in flight', async () => {
    const engine = new ScriptedEngine(() => ANSWER, 5);
    const pipeline = pipelineWith(engine);
    const first = pipeline.complete(requestAt('return '));
    await delay(40);
    const second = await pipeline.complete(requestAt('return x'));
    assert.equal(await first, undefined);
    assert.equal(second?.source, 'generated');
    assert.equal(engine.generateCalls().length, 2);
  });

  it('streams the first line as soon as it is complete, then grows the block', async () => {
    const body = '\n  const t = order.total;\n  return t;\n}\n';
    const engine = new ScriptedEngine(() => body, 2);
    const updates: string[] = [];
    const result = await pipelineWith(engine).complete(requestAt('function f(order) {', '\n'), { onUpdate: (text) => updates.push(text) });
    assert.deepEqual(updates, ['\n  const t = order.total;', '\n  const t = order.total;\n  return t;', '\n  const t = order.total;\n  return t;\n}']);
    assert.equal(result?.completion, '\n  const t = order.total;\n  return t;\n}');
    assert.equal(result?.mode, 'multi-line');
  });

  it('stops the engine early once the block is complete', async () => {
    const engine = new ScriptedEngine(() => '\n  a();\n}\n\nfunction g() {\n  b();\n}\n', 2);
    const result = await pipelineWith(engine).complete(requestAt('function f() {', '\n'));
    assert.equal(result?.completion, '\n  a();\n}');
    assert.equal(engine.generateCalls()[0].stoppedBy, 'abort');
  });

  it('prefills the prompt that the next completion extends', async () => {
    const engine = new ScriptedEngine(() => ANSWER);
    const pipeline = pipelineWith(engine);
    await pipeline.prefill(requestAt('function f(order) {\n  '));
    await pipeline.complete(requestAt('function f(order) {\n  return '));
    const [prefill, generate] = engine.calls;
    assert.equal(prefill.kind, 'prefill');
    assert.ok(promptText(generate.prompt).startsWith(promptText(prefill.prompt)));
  });

  it('tells the n-gram cache what is open, secrets left out, the current file split at the cursor, only while it is on', async () => {
    const seen: string[][] = [];
    const ngramDocuments = { update: (documents: readonly { path: string; text: string }[]) => seen.push(documents.map((document) => `${document.path}:${document.text}`)) };
    const openFiles = [{ path: 'src/b.ts', text: 'b' }, { path: '.env', text: 'KEY=1' }];
    const engine = new ScriptedEngine(() => ANSWER);
    await new CompletionPipeline(engine, () => TEST_OPTIONS, { ngramDocuments }).complete(requestAt('return ', '\n', { openFiles }));
    await new CompletionPipeline(engine, () => ({ ...TEST_OPTIONS, useNgramCache: false }), { ngramDocuments }).complete(requestAt('return ', '\n', { openFiles }));
    assert.deepEqual(seen, [['src/a.ts:return ', 'src/a.ts:\n', 'src/b.ts:b']]);
  });

  it('plans for a smaller context when told the model was trained on fewer positions', async () => {
    const engine = new ScriptedEngine(() => ANSWER);
    const pipeline = new CompletionPipeline(engine, () => TEST_OPTIONS, { maxContextTokens: 256 });
    await pipeline.complete(requestAt('return order.total;\n'.repeat(2000) + 'return '));
    const tokens = await engine.countTokens(promptText(engine.calls[0].prompt));
    assert.ok(tokens + TEST_OPTIONS.maxNewTokens <= 256, `${tokens} prompt tokens`);
  });

  it('shrinks the windows of a document that tokenizes badly (binary text), so the prompt still fits', async () => {
    // A byte-level tokenizer: one token per UTF-8 byte of text beyond ASCII, four ASCII chars a token.
    const bytes = (text: string) => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) < 0x80 ? 0.25 : 2), 0);
    const engine = new ScriptedEngine(() => ANSWER, 1, undefined, 512);
    engine.countTokens = async (text: string) => Math.ceil(bytes(text));
    const binary = Array.from({ length: 20_000 }, (_, index) => String.fromCharCode(0x80 + (index % 128))).join('');
    await pipelineWith(engine).complete(requestAt(binary, binary));
    const prompt = engine.generateCalls()[0].prompt;
    const tokens = prompt.reduce((sum, part) => sum + (part.kind === 'text' ? bytes(part.text) : 1), 0);
    assert.ok(tokens + TEST_OPTIONS.maxNewTokens <= 512, `${tokens} prompt tokens`);
  });

  it('measures again where the document tokenizes differently, so the prompt fits there too', async () => {
    const bytes = (text: string) => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) < 0x80 ? 0.25 : 2), 0);
    const engine = new ScriptedEngine(() => ANSWER, 1, undefined, 512);
    engine.countTokens = async (text: string) => Math.ceil(bytes(text));
    const code = 'return order.total;\n'.repeat(400);
    const table = Array.from({ length: 400 }, () => "  name: 'يناير فبراير مارس',\n").join('');
    const text = code + table;
    const pipeline = pipelineWith(engine, { fewShot: false });
    await pipeline.complete(requestAt(code.slice(0, 2000), code.slice(2000) + table));
    const atTable = code.length + table.length / 2;
    await pipeline.complete(requestAt(text.slice(0, atTable), text.slice(atTable)));
    for (const call of engine.generateCalls()) {
      const tokens = call.prompt.reduce((sum, part) => sum + (part.kind === 'text' ? bytes(part.text) : 1), 0);
      assert.ok(tokens + TEST_OPTIONS.maxNewTokens <= 512, `${tokens} prompt tokens`);
    }
    assert.equal(engine.generateCalls().length, 2);
  });

  it('keeps snippets of text that tokenizes badly (other scripts) within their budget, and still uses them', async () => {
    // A byte-level tokenizer, as above: Arabic locale strings cost 2 tokens a character.
    const bytes = (text: string) => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) < 0x80 ? 0.25 : 2), 0);
    const engine = new ScriptedEngine(() => ANSWER, 1, undefined, 512);
    engine.countTokens = async (text: string) => Math.ceil(bytes(text));
    const months = Array.from({ length: 40 }, (_, index) => `  monthName${index}: 'يناير فبراير مارس',`).join('\n');
    const openFiles = [{ path: 'src/locale/ar.ts', text: `export const locale = {\n${months}\n};\n` }];
    const code = Array.from({ length: 200 }, (_, index) => `const label${index} = locale.monthName${index % 40};`).join('\n');
    await pipelineWith(engine, { fewShotTokens: 256 }).complete(requestAt(`${code}\nconst label = locale.`, '\n', { openFiles }));
    const prompt = engine.generateCalls()[0].prompt;
    const tokens = prompt.reduce((sum, part) => sum + (part.kind === 'text' ? bytes(part.text) : 1), 0);
    assert.ok(tokens + TEST_OPTIONS.maxNewTokens <= 512, `${tokens} prompt tokens`);
    assert.match(promptText(prompt), /^<fileSeparator>src\/locale\/ar\.ts\n.*monthName/);
  });

  it('rejects with the engine error, and never from prefill', async () => {
    const engine = new ScriptedEngine(() => ANSWER);
    engine.generate = () => Promise.reject(new Error('worker crashed'));
    engine.prefill = () => Promise.reject(new Error('worker crashed'));
    const pipeline = pipelineWith(engine);
    await pipeline.prefill(requestAt('return '));
    await assert.rejects(pipeline.complete(requestAt('return ')), /worker crashed/);
  });

  it('uses the prefix alone for a model without FIM tokens', async () => {
    const engine = new ScriptedEngine(() => ANSWER, 1, new Set());
    await pipelineWith(engine).complete(requestAt('return ', ' // done\n'));
    assert.equal(promptText(engine.calls[0].prompt), 'return ');
  });

  it('keeps the prompt within the model context', async () => {
    const engine = new ScriptedEngine(() => ANSWER, 1, undefined, 256);
    const openFiles = [{ path: 'src/o.ts', text: 'return order.total;\n'.repeat(500) }];
    await pipelineWith(engine).complete(requestAt('return order.total;\n'.repeat(2000) + 'return ', 'x;\n'.repeat(2000), { openFiles }));
    const tokens = await engine.countTokens(promptText(engine.calls[0].prompt));
    assert.ok(tokens + TEST_OPTIONS.maxNewTokens <= 256, `${tokens} prompt tokens`);
  });
});
