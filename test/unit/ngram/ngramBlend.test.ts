import * as assert from 'node:assert/strict';
import { WorkerEngineClient, type WorkerHandle } from '../../../src/client/workerEngineClient';
import { alignedContextCounts } from '../../../src/engine/ngram/alignedContext';
import { cursorTail } from '../../../src/engine/ngram/cursorContext';
import { DEFAULT_NGRAM_BLEND, NgramBlendProcessor } from '../../../src/engine/ngram/ngramBlendProcessor';
import { NgramCache } from '../../../src/engine/ngram/ngramCache';
import { TokenTexts } from '../../../src/engine/ngram/tokenTexts';
import { wittenBell } from '../../../src/engine/ngram/wittenBell';
import type { HostToWorkerMessage, WorkerToHostMessage } from '../../../src/protocol/messages';

/** One token per character (its code), a 128-token vocabulary: every step can be followed by hand. */
const encode = (text: string): number[] => [...text].map((character) => character.codePointAt(0)!);
const VOCABULARY = 128;
const id = (character: string): number => character.codePointAt(0)!;

function sourcesWith(text: string) {
  const cache = new NgramCache(encode);
  cache.update([{ path: 'other.ts', text }]);
  return { cache, encode, texts: new TokenTexts((token) => String.fromCodePoint(token), new Set()) };
}

function argmax(values: Float32Array): number {
  return values.reduce((best, value, index) => (value > values[best] ? index : best), 0);
}

function logSumExp(values: Float32Array): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((sum, value) => sum + Math.exp(value - max), 0));
}

/** GPT logits that prefer `favourite` clearly (probability about 0.6). */
function gptLogits(favourite: string): Float32Array {
  const logits = new Float32Array(VOCABULARY);
  logits[id(favourite)] = 6;
  return logits;
}

describe('n-gram blend processor', () => {
  const sources = sourcesWith('const total = computeRevenue(orders);\n');

  it('counts what follows the typed text where the context before it occurs (golden values by hand)', () => {
    // Context "mpute" (order 6: five tokens), typed text "Re": only "computeRevenue" has both, and
    // "v" follows, at every context length. Witten-Bell keeps 1/2 at each of the five lengths.
    const counts = alignedContextCounts(sources, encode('let sum = computeRe'), VOCABULARY);
    assert.deepEqual(
      counts.map(({ total, followers }) => [total, [...followers]]),
      Array.from({ length: 5 }, () => [1, [[id('v'), 1]]]),
    );
    const prediction = wittenBell(counts);
    assert.equal(prediction.fromContexts.get(id('v')), 1 - 1 / 32);
    assert.equal(prediction.unigramMass, 1 / 32);
  });

  it('puts the continuation of a word seen in an open file on top, matching the typed part as text', () => {
    const prompt = encode('let sum = computeRe');
    const logits = gptLogits('x');
    new NgramBlendProcessor(sources, prompt, prompt.length).apply(logits, prompt);
    assert.equal(String.fromCodePoint(argmax(logits)), 'v');
    // A linear mixture of two distributions is a distribution.
    assert.ok(Math.abs(logSumExp(logits)) < 1e-5);
  });

  it('follows its own generated tokens', () => {
    const prompt = encode('let sum = computeRe');
    const context = [...prompt, ...encode('venue(')];
    const logits = gptLogits('x');
    new NgramBlendProcessor(sources, prompt, prompt.length).apply(logits, context);
    assert.equal(String.fromCodePoint(argmax(logits)), 'o');
  });

  it('leaves the GPT alone where the cache knows too short a context, or has no documents', () => {
    const prompt = encode('zq#');
    const logits = gptLogits('x');
    new NgramBlendProcessor(sources, prompt, prompt.length).apply(logits, prompt);
    assert.deepEqual(logits, gptLogits('x'));
    const empty = { ...sources, cache: new NgramCache(encode) };
    const untouched = gptLogits('x');
    new NgramBlendProcessor(empty, encode('computeRe'), 9).apply(untouched, encode('computeRe'));
    assert.deepEqual(untouched, gptLogits('x'));
  });

  it('replaces the GPT by the cache in cache-only mode, and multiplies them in log-linear mode', () => {
    const prompt = encode('let sum = computeRe');
    const cacheOnly = gptLogits('x');
    new NgramBlendProcessor(sources, prompt, prompt.length, { ...DEFAULT_NGRAM_BLEND, mixing: 'cache-only' }).apply(cacheOnly, prompt);
    assert.equal(String.fromCodePoint(argmax(cacheOnly)), 'v');
    assert.equal(cacheOnly[id('#')], -Infinity);
    const logLinear = gptLogits('x');
    new NgramBlendProcessor(sources, prompt, prompt.length, { ...DEFAULT_NGRAM_BLEND, mixing: 'log-linear' }).apply(logLinear, prompt);
    assert.ok(logLinear[id('v')] > logLinear[id('#')]);
  });
});

describe('cursor tail', () => {
  const specials = new Set([100, 101, 102]);
  const fim = { suffix: 101, middle: 102 };

  it('is the end of the prompt when the prefix comes last (SPM, no FIM)', () => {
    assert.deepEqual(cursorTail([100, 101, 5, 6, 102, 7, 8, 9], specials, fim, 2), [8, 9]);
    assert.deepEqual(cursorTail([1, 2, 3], specials, fim, 5), [1, 2, 3]);
  });

  it('is the end of the prefix, before <fim_suffix>, in PSM order', () => {
    assert.deepEqual(cursorTail([100, 7, 8, 9, 101, 5, 6, 102], specials, fim, 5), [7, 8, 9]);
  });

  it('is empty for an empty prefix', () => {
    assert.deepEqual(cursorTail([100, 101, 5, 6, 102], specials, fim, 5), []);
  });
});

describe('worker client n-gram documents', () => {
  function fakeWorker(): { handle: WorkerHandle; posted: HostToWorkerMessage[] } {
    const posted: HostToWorkerMessage[] = [];
    const listeners: ((message: WorkerToHostMessage) => void)[] = [];
    const handle = {
      postMessage: (message: HostToWorkerMessage) => posted.push(message),
      on: (event: string, listener: (message: WorkerToHostMessage) => void) => {
        if (event === 'message') listeners.push(listener);
      },
      terminate: async () => 0,
    } as unknown as WorkerHandle;
    return { handle, posted };
  }

  it('sends the worker only the documents that changed, and nothing while nothing did', () => {
    const worker = fakeWorker();
    const client = new WorkerEngineClient({
      workerScript: 'worker.js',
      load: { modelDir: 'model', wasmDir: 'dist', threads: 1 },
      createWorker: () => worker.handle,
    });
    client.updateDocuments([{ path: 'a.ts', text: 'a' }, { path: 'b.ts', text: 'b' }]);
    client.updateDocuments([{ path: 'a.ts', text: 'a' }, { path: 'b.ts', text: 'b' }]);
    client.updateDocuments([{ path: 'a.ts', text: 'a2' }]);
    const sent = worker.posted.filter((message) => message.type === 'ngramDocuments');
    assert.deepEqual(sent, [
      { type: 'ngramDocuments', changes: { set: [{ key: 'a.ts', text: 'a' }, { key: 'b.ts', text: 'b' }], remove: [] } },
      { type: 'ngramDocuments', changes: { set: [{ key: 'a.ts', text: 'a2' }], remove: ['b.ts'] } },
    ]);
    void client.dispose();
  });
});
