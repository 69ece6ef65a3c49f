import * as assert from 'node:assert/strict';
import { CompletionPipeline } from '../../../src/core/completion/completionPipeline';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TEST_OPTIONS } from '../core/requests';
import { projectModels, testThreads, wasmDir } from '../engine/testModels';

/**
 * The n-gram cache through the real engine and pipeline, with the trained fixture model (skipped
 * until the model pipeline has produced it): a function name defined only in another open file
 * is completed because the cache saw it there, and not without the cache. Few-shot snippets are
 * off, so the other file never reaches the prompt and the cache is the only way to learn the name.
 */
const fixture = projectModels().find((model) => model.name.startsWith('lgc-fixture'));

const LEDGER = `export interface LedgerEntry {
  readonly account: string;
  readonly cents: number;
}

export function reconcileQuarterlyLedgerEntries(entries: readonly LedgerEntry[]): LedgerEntry[] {
  return entries.filter((entry) => entry.cents !== 0);
}
`;

const REQUEST: CompletionRequest = {
  path: 'src/closeBooks.ts',
  languageId: 'typescript',
  prefix: `import type { LedgerEntry } from './ledger';\n\nexport function closeBooks(entries: LedgerEntry[]): number {\n  const kept = reconcileQuar`,
  suffix: '\n  return kept.length;\n}\n',
  openFiles: [{ path: 'src/ledger.ts', text: LEDGER }],
  mode: 'line',
};

(fixture ? describe : describe.skip)(`n-gram cache with the real engine (${fixture?.name})`, function () {
  this.timeout(120_000);
  let engine: InProcessEngine;

  before(async () => {
    engine = await InProcessEngine.load(new NodeModelFiles(fixture!.dir), { threads: testThreads, wasmDir, dtype: fixture!.dtype, warmUp: false });
  });
  after(() => engine?.dispose());

  async function complete(useNgramCache: boolean): Promise<string> {
    const options = { ...TEST_OPTIONS, fewShot: false, useNgramCache };
    const result = await new CompletionPipeline(engine, () => options).complete(REQUEST);
    return result?.completion ?? '';
  }

  it('completes a name seen only in another open file with the cache, not without it', async () => {
    const withCache = await complete(true);
    const withoutCache = await complete(false);
    assert.ok(withCache.startsWith('terlyLedgerEntries'), `with the cache: ${JSON.stringify(withCache)}`);
    assert.ok(!withoutCache.includes('terlyLedgerEntries'), `without the cache: ${JSON.stringify(withoutCache)}`);
  });

  it('learns the open files through the pipeline, the current file split at the cursor', async () => {
    await complete(true);
    const cache = engine.engine.ngramCache;
    assert.equal(cache.documentCount, 3);
    assert.ok(cache.tokenCount > 0);
  });
});
