import * as assert from 'node:assert/strict';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { requestAt, TEST_OPTIONS } from './requests';
import { promptText, ScriptedEngine } from './scriptedEngine';

/**
 * Far above what the bounded stages need (tens of ms), with room for a loaded CI machine; a stage
 * that scanned the 10 MB text per request would take seconds.
 */
const FAST_ENOUGH_MS = 1000;
const TEN_MB = 10 * 1024 * 1024;

const code = 'export function area(width: number, height: number): number {\n  return width * height;\n}\n';
const tenMegabytes = code.repeat(Math.ceil(TEN_MB / code.length));
const minified = 'var a=function(b){return b*2};'.repeat(Math.ceil(TEN_MB / 30));
const binary = Array.from({ length: 100_000 }, (_, index) => String.fromCharCode(index % 256)).join('');
const loneSurrogates = 'const s = "\ud800\udc00\ud800 \udfff";\n'.repeat(1000);

const CASES: Record<string, CompletionRequest> = {
  'a 10 MB file, cursor in the middle': requestAt(tenMegabytes.slice(0, TEN_MB / 2), tenMegabytes.slice(TEN_MB / 2)),
  'a 10 MB file open beside': requestAt('export function size(', ')\n', { openFiles: [{ path: 'big.ts', text: tenMegabytes }] }),
  'a 900 KB file open beside': requestAt('export function size(', ')\n', { openFiles: [{ path: 'big.ts', text: tenMegabytes.slice(0, 900_000) }] }),
  'a minified one-line file': requestAt(minified, minified),
  'a minified file open beside': requestAt('var a=function(', '\n', { openFiles: [{ path: 'x.min.js', text: minified.slice(0, 500_000) }] }),
  'a binary file opened as text': requestAt(binary, binary, { openFiles: [{ path: 'image.png', text: binary }] }),
  'invalid UTF-16 surrogates': requestAt(loneSurrogates + 'const t = "\ud800', '\udc00";\n' + loneSurrogates, { openFiles: [{ path: 's.ts', text: loneSurrogates }] }),
  'an empty document': requestAt('', ''),
  'the cursor at offset 0': requestAt('', code),
  'the cursor at the very end': requestAt(code, ''),
};

describe('bad input never throws or takes long', () => {
  for (const [name, request] of Object.entries(CASES)) {
    it(name, async () => {
      const engine = new ScriptedEngine(() => 'value;\n', 0);
      const pipeline = new CompletionPipeline(engine, () => TEST_OPTIONS);
      const started = performance.now();
      await pipeline.prefill(request);
      const result = await pipeline.complete(request);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < FAST_ENOUGH_MS, `${elapsed.toFixed(0)} ms`);
      assert.ok(result === undefined || typeof result.completion === 'string');
      const prompt = promptText(engine.calls.at(-1)?.prompt ?? []);
      assert.ok(prompt.length < 8 * (TEST_OPTIONS.contextTokens + TEST_OPTIONS.fewShotTokens), `prompt of ${prompt.length} chars`);
    });
  }
});
