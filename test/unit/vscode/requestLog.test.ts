import * as assert from 'node:assert/strict';
import type { CompletionResult } from '../../../src/core/completion/types';
import { debouncedLine, requestLine } from '../../../src/vscode/requestLog';

/** One log line per inline request, saying what became of it and where the time went. */
describe('request log lines', () => {
  const facts = { id: 3, languageId: 'javascript', where: 'src/todo.js:19:14', debounceMs: 75, shown: true };
  const generated: CompletionResult = {
    completion: ' === undefined;',
    mode: 'single-line',
    promptTokens: 412,
    reusedPromptTokens: 400,
    generatedTokens: 6,
    source: 'generated',
    trace: { planMs: 3.2, engineMs: 120.4, prefillMs: 20.1, decodeMs: 90.3, stopReason: 'stop-sequence', rawChars: 16 },
  };

  it('a shown suggestion: its text, tokens and stage times', () => {
    const line = requestLine(facts, { kind: 'result', result: generated, durationMs: 201 });
    assert.equal(
      line,
      'inline #3 javascript src/todo.js:19:14: shown " === undefined;" (generated) | prompt 412 tokens (400 cached), generated 6 | plan 3 ms, engine 120 ms (prefill 20, decode 90) | debounce 75 ms, total 201 ms',
    );
  });

  it('an empty suggestion says which step emptied it, or that the model wrote nothing', () => {
    const emptied = { ...generated, completion: '', trace: { ...generated.trace!, emptiedBy: 'stopAtSuffix', rawChars: 2 } };
    assert.match(requestLine(facts, { kind: 'result', result: emptied, durationMs: 90 }), /: empty after stopAtSuffix \(the model wrote 2 characters\)/);
    const nothing = { ...generated, completion: '', trace: { ...generated.trace!, stopReason: 'eos' as const, rawChars: 0 } };
    assert.match(requestLine(facts, { kind: 'result', result: nothing, durationMs: 90 }), /: empty: the model wrote nothing \(eos\)/);
  });

  it('cancellations say by what', () => {
    assert.match(requestLine({ ...facts, shown: false }, { kind: 'result', result: undefined, durationMs: 40 }), /cancelled: a newer request took over after 40 ms/);
    assert.match(requestLine({ ...facts, shown: false, stoppedBy: 'orphaned' }, { kind: 'result', result: undefined, durationMs: 40 }), /VS Code dropped the request/);
    assert.match(debouncedLine(facts), /cancelled in its 75 ms debounce/);
  });

  it('a suggestion VS Code no longer waited for is not called shown', () => {
    assert.match(requestLine({ ...facts, shown: false }, { kind: 'result', result: generated, durationMs: 201 }), /: not shown " === undefined;"/);
  });

  it('a failure gives the error', () => {
    assert.match(requestLine(facts, { kind: 'error', error: new Error('worker crashed') }), /: failed: worker crashed/);
  });
});
