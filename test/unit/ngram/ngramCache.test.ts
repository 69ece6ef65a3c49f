import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentChangeTracker, keyedDocuments } from '../../../src/engine/ngram/documentChanges';
import { NgramCache } from '../../../src/engine/ngram/ngramCache';
import { splitIntoChunks } from '../../../src/engine/ngram/textChunks';
import { wittenBell } from '../../../src/engine/ngram/wittenBell';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { readModelFolder } from '../../../src/engine/modelFolder';
import { ModelTokenizer } from '../../../src/engine/tokenizer';
import { repoRoot } from '../engine/testModels';

/**
 * The n-gram cache with a tokenizer that makes one token of each character (its code), so every
 * count and probability below can be worked out by hand from the document text.
 */
const byCharacter = (text: string): number[] => [...text].map((character) => character.codePointAt(0)!);
const ids = (text: string): number[] => byCharacter(text);
const id = (character: string): number => character.codePointAt(0)!;

function countsOf(cache: NgramCache, context: string): { total: number; followers: Record<string, number> }[] {
  return cache.contextCounts(ids(context)).map(({ total, followers }) => ({
    total,
    followers: Object.fromEntries([...followers].map(([token, count]) => [String.fromCodePoint(token), count])),
  }));
}

describe('n-gram cache', () => {
  it('counts every context ending the query, from one token up to order - 1', () => {
    const cache = new NgramCache(byCharacter, { order: 3 });
    cache.update([{ path: 'a.ts', text: 'abcabd' }]);
    assert.equal(cache.tokenCount, 6);
    assert.equal(cache.unigramCount(id('a')), 2);
    assert.equal(cache.unigramCount(id('d')), 1);
    // "b" is followed by c then d; "ab" likewise.
    assert.deepEqual(countsOf(cache, 'ab'), [
      { total: 2, followers: { c: 1, d: 1 } },
      { total: 2, followers: { c: 1, d: 1 } },
    ]);
    // "a" is followed by b twice; "ca" once, by b. Order 3 looks at two tokens at most.
    assert.deepEqual(countsOf(cache, 'xca'), [
      { total: 2, followers: { b: 2 } },
      { total: 1, followers: { b: 1 } },
    ]);
  });

  it('never learns bidirectional controls, so it cannot propose them (Trojan Source)', () => {
    const cache = new NgramCache(byCharacter, { order: 3 });
    cache.update([{ path: 'evil.ts', text: 'ab\u202ecd\u2066' }]);
    assert.equal(cache.tokenCount, 4);
    assert.equal(cache.unigramCount(id('\u202e')), 0);
    assert.deepEqual(countsOf(cache, 'ab'), [
      { total: 1, followers: { c: 1 } },
      { total: 1, followers: { c: 1 } },
    ]);
  });

  it('backs off to the longest context it has seen, and to nothing for an unseen token', () => {
    const cache = new NgramCache(byCharacter, { order: 6 });
    cache.update([{ path: 'a.ts', text: 'abcabd' }]);
    assert.equal(countsOf(cache, 'zzab').length, 2);
    assert.equal(countsOf(cache, 'cab').length, 3);
    assert.deepEqual(countsOf(cache, 'dz'), []);
    // The document's last token is followed by nothing: it is no context yet.
    assert.deepEqual(countsOf(cache, 'd'), []);
  });

  it('interpolates Witten-Bell down to the unigrams (golden values by hand)', () => {
    const cache = new NgramCache(byCharacter, { order: 3 });
    cache.update([{ path: 'a.ts', text: 'abcabd' }]);
    const prediction = wittenBell(cache.contextCounts(ids('ab')));
    // "ab": c = 2, t = 2, lambda = 1/2: c and d get 1/2 * 1/2 each. "b": lambda = 1/2 of the
    // remaining 1/2: c and d get 1/8 more each. 1/4 is left for the unigrams.
    assert.equal(prediction.contextLength, 2);
    assert.equal(prediction.contextCount, 2);
    assert.equal(prediction.topCount, 1);
    assert.equal(prediction.fromContexts.get(id('c')), 0.375);
    assert.equal(prediction.fromContexts.get(id('d')), 0.375);
    assert.equal(prediction.unigramMass, 0.25);
    // p(c) = 0.375 + 0.25 * 1/6; the whole distribution sums to one.
    const probability = (character: string) =>
      (prediction.fromContexts.get(id(character)) ?? 0) + (prediction.unigramMass * cache.unigramCount(id(character))) / cache.tokenCount;
    assert.ok(Math.abs(probability('c') - (0.375 + 0.25 / 6)) < 1e-12);
    assert.ok(Math.abs(['a', 'b', 'c', 'd'].reduce((sum, character) => sum + probability(character), 0) - 1) < 1e-12);
  });

  it('trusts a context always followed by the same token more the more often it was seen', () => {
    const cache = new NgramCache(byCharacter, { order: 2 });
    cache.update([{ path: 'a.ts', text: 'xyxyxy' }]);
    // "x" is followed by y three times: lambda = 3 / (3 + 1).
    const prediction = wittenBell(cache.contextCounts(ids('x')));
    assert.equal(prediction.fromContexts.get(id('y')), 0.75);
    assert.equal(prediction.unigramMass, 0.25);
    assert.equal(wittenBell([]).unigramMass, 1);
  });

  it('updates incrementally: an edit re-tokenizes only the lines it touched and counts as a fresh build', () => {
    const before = 'const alpha = 1;\nconst beta = alpha;\nexport { beta };\n';
    const after = 'const alpha = 1;\nconst gamma = alpha;\nexport { beta };\n';
    const cache = new NgramCache(byCharacter, { order: 4 });
    cache.update([{ path: 'a.ts', text: before }, { path: 'b.ts', text: 'let beta = 2;\n' }]);
    const encodedAtStart = cache.encodedChars;
    cache.update([{ path: 'a.ts', text: after }, { path: 'b.ts', text: 'let beta = 2;\n' }]);
    assert.equal(cache.encodedChars - encodedAtStart, '\nconst gamma = alpha;'.length);
    const fresh = new NgramCache(byCharacter, { order: 4 });
    fresh.update([{ path: 'a.ts', text: after }, { path: 'b.ts', text: 'let beta = 2;\n' }]);
    for (const context of ['const ', 'gam', ' = ', 'beta', 'lpha']) {
      assert.deepEqual(countsOf(cache, context), countsOf(fresh, context), context);
    }
    assert.equal(cache.tokenCount, fresh.tokenCount);
    assert.equal(cache.unigramCount(id('g')), 1);
    assert.equal(cache.unigramCount(id('b')), 2);
  });

  it('forgets documents no longer listed, and everything on clear', () => {
    const cache = new NgramCache(byCharacter, { order: 3 });
    cache.update([{ path: 'a.ts', text: 'abcabd' }, { path: 'b.ts', text: 'abab' }]);
    assert.equal(countsOf(cache, 'ab')[1].total, 3);
    cache.update([{ path: 'b.ts', text: 'abab' }]);
    assert.deepEqual(countsOf(cache, 'ab'), [
      { total: 1, followers: { a: 1 } },
      { total: 1, followers: { a: 1 } },
    ]);
    assert.equal(cache.tokenCount, 4);
    assert.equal(cache.unigramCount(id('c')), 0);
    cache.clear();
    assert.equal(cache.documentCount, 0);
    assert.equal(cache.tokenCount, 0);
  });

  it('tokenizes at most a budget of characters per update, the current update first, the rest later', () => {
    const cache = new NgramCache(byCharacter, { order: 3, maxEncodeCharsPerUpdate: 5 });
    const documents = [{ path: 'a.ts', text: 'abcabd' }, { path: 'b.ts', text: 'xyxy' }];
    cache.update(documents);
    assert.equal(cache.documentCount, 1);
    assert.equal(cache.pendingCount, 1);
    cache.update([{ path: 'a.ts', text: 'abcabe' }, { path: 'b.ts', text: 'xyxy' }]);
    assert.equal(cache.documentCount, 1);
    assert.equal(cache.unigramCount(id('e')), 1);
    cache.update([{ path: 'a.ts', text: 'abcabe' }, { path: 'b.ts', text: 'xyxy' }]);
    assert.equal(cache.documentCount, 2);
    assert.equal(cache.pendingCount, 0);
    assert.equal(cache.tokenCount, 10);
  });

  it('bounds the work per query by the occurrences it examines', () => {
    const cache = new NgramCache(byCharacter, { order: 3, maxOccurrences: 2 });
    cache.update([{ path: 'a.ts', text: 'ababababab' }]);
    assert.equal(countsOf(cache, 'a')[0].total, 2);
  });
});

describe('n-gram cache documents', () => {
  it('keys documents by path, numbering a path listed again, within the character budget', () => {
    const keyed = keyedDocuments(
      [
        { path: 'a.ts', text: 'aaaa' },
        { path: 'b.ts', text: 'bbbbbbbb' },
        { path: 'a.ts', text: 'cc' },
        { path: 'd.ts', text: 'dddd' },
      ],
      10,
    );
    assert.deepEqual([...keyed], [
      ['a.ts', 'aaaa'],
      ['a.ts#1', 'cc'],
      ['d.ts', 'dddd'],
    ]);
  });

  it('leaves out what the core source filter refuses: secrets, huge, binary and minified texts', () => {
    const keyed = keyedDocuments([
      { path: 'src/a.ts', text: 'const a = 1;\n' },
      { path: '.env', text: 'TOKEN=abc\n' },
      { path: 'keys/id_rsa', text: 'ssh-rsa AAAA\n' },
      { path: 'src/blob.bin', text: '\u0000\u0001\u0002' },
      { path: 'src/huge.ts', text: 'x'.repeat(1_000_001) },
    ]);
    assert.deepEqual([...keyed.keys()], ['src/a.ts']);
  });

  it('sends only what changed since the last list', () => {
    const tracker = new DocumentChangeTracker();
    assert.deepEqual(tracker.changes([{ path: 'a.ts', text: 'a' }, { path: 'b.ts', text: 'b' }]), {
      set: [{ key: 'a.ts', text: 'a' }, { key: 'b.ts', text: 'b' }],
      remove: [],
    });
    assert.deepEqual(tracker.changes([{ path: 'a.ts', text: 'a2' }, { path: 'b.ts', text: 'b' }]), { set: [{ key: 'a.ts', text: 'a2' }], remove: [] });
    assert.deepEqual(tracker.changes([{ path: 'b.ts', text: 'b' }]), { set: [], remove: ['a.ts'] });
    tracker.reset();
    assert.deepEqual(tracker.changes([{ path: 'b.ts', text: 'b' }]), { set: [{ key: 'b.ts', text: 'b' }], remove: [] });
  });

  it('cuts text into chunks before line breaks that follow a non-blank character', () => {
    assert.deepEqual(splitIntoChunks('a\n  b;\n\n  c  \nd'), ['a', '\n  b;', '\n\n  c  \nd']);
    assert.deepEqual(splitIntoChunks('x\r\ny'), ['x', '\r\ny']);
    assert.deepEqual(splitIntoChunks(''), []);
  });

  const fixtureDir = path.join(repoRoot, 'models', 'lgc-fixture');
  (fs.existsSync(path.join(fixtureDir, 'tokenizer.json')) ? it : it.skip)('tokenizes chunk by chunk exactly as the whole text with the fixture tokenizer', async () => {
    const tokenizer = ModelTokenizer.fromFolder(await readModelFolder(new NodeModelFiles(fixtureDir)));
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'engine', 'generationLoop.ts'), 'utf8') + '\r\nconst crlf = 1;  \r\n\tdone();\n';
    const chunked = splitIntoChunks(source).flatMap((chunk) => tokenizer.encodeText(chunk));
    assert.deepEqual(chunked, tokenizer.encodeText(source));
  });
});
