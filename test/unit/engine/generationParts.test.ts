/** Logits processors, samplers, stop sequences, streaming detokenization and prompt encoding. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildLogitsProcessors, RepetitionPenaltyProcessor, TopKProcessor, TopPProcessor } from '../../../src/engine/generation/logitsProcessors';
import { GreedySampler, MultinomialSampler } from '../../../src/engine/generation/samplers';
import { StopSequenceFilter } from '../../../src/engine/generation/stopSequences';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { readModelFolder } from '../../../src/engine/modelFolder';
import { StreamingDetokenizer } from '../../../src/engine/streamingDetokenizer';
import { ModelTokenizer } from '../../../src/engine/tokenizer';
import { repoRoot } from './testModels';

describe('logits processors', () => {
  it('top-k keeps the k best logits', () => {
    const logits = Float32Array.from([1, 5, 3, 4, 2]);
    new TopKProcessor(2).apply(logits);
    assert.deepEqual([...logits], [-Infinity, 5, -Infinity, 4, -Infinity]);
  });

  it('top-p keeps the smallest set reaching p', () => {
    const logits = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
    new TopPProcessor(0.75).apply(logits);
    assert.deepEqual([...logits].map((value) => Number.isFinite(value)), [true, true, false, false]);
    const sharp = Float32Array.from([10, 0, 0]);
    new TopPProcessor(0.1).apply(sharp);
    assert.deepEqual([...sharp].map((value) => Number.isFinite(value)), [true, false, false]);
  });

  it('repetition penalty lowers the logits of seen tokens either sign', () => {
    const logits = Float32Array.from([2, -2, 2]);
    new RepetitionPenaltyProcessor(2).apply(logits, [0, 1, 0]);
    assert.deepEqual([...logits], [1, -4, 2]);
  });

  it('greedy requests get no sampling processors', () => {
    assert.equal(buildLogitsProcessors({ temperature: 0, topK: 5, topP: 0.5 }).length, 0);
    assert.equal(buildLogitsProcessors({ temperature: 0.7, topK: 5, topP: 0.5, repetitionPenalty: 1.1 }).length, 4);
  });
});

describe('samplers', () => {
  it('greedy takes the first maximum', () => {
    assert.equal(new GreedySampler().sample(Float32Array.from([1, 3, 3, 2])), 1);
  });

  it('multinomial sampling is reproducible from a seed and follows the distribution', () => {
    const logits = Float32Array.from([Math.log(0.7), Math.log(0.2), Math.log(0.1), -Infinity]);
    const draw = (seed: number) => {
      const sampler = new MultinomialSampler(seed);
      return Array.from({ length: 2000 }, () => sampler.sample(logits));
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    const counts = [0, 0, 0, 0];
    for (const token of draw(11)) counts[token]++;
    assert.equal(counts[3], 0);
    assert.ok(Math.abs(counts[0] / 2000 - 0.7) < 0.05, `${counts}`);
    assert.ok(Math.abs(counts[2] / 2000 - 0.1) < 0.03, `${counts}`);
  });
});

describe('stop sequences', () => {
  it('cuts at the first stop sequence and never emits part of one', () => {
    const filter = new StopSequenceFilter(['\n\n', 'END']);
    const emitted: string[] = [];
    for (const delta of ['a', 'b\n', 'c', 'E', 'N', 'x', '\n', '\nzzz']) {
      const { emit, stopped } = filter.push(delta);
      emitted.push(emit);
      if (stopped) break;
    }
    assert.equal(emitted.join(''), 'ab\ncENx');
    assert.ok(filter.hasStopped);
  });

  it('releases held-back text at the end', () => {
    const filter = new StopSequenceFilter(['END']);
    assert.equal(filter.push('abcEN').emit, 'abc');
    assert.equal(filter.flush(), 'EN');
  });
});

describe('tokenizer and streaming detokenization', () => {
  let tokenizer: ModelTokenizer;
  before(async () => {
    const folder = await readModelFolder(new NodeModelFiles(path.join(repoRoot, 'test', 'fixtures', 'tiny-gpt2', 'with-positions')));
    tokenizer = ModelTokenizer.fromFolder(folder);
  });

  it('streams multi-byte characters and byte-level merges as whole characters', () => {
    for (const text of ['héllo wörld', 'emoji 😀🎉 done', '中文字符 and 日本語', 'a\u0301 combining', 'tabs\t\tand\r\nlines', '  leading  spaces']) {
      const ids = tokenizer.encodeText(text);
      const stream = new StreamingDetokenizer((tokens) => tokenizer.decode(tokens));
      const deltas = ids.map((id) => stream.push(id));
      deltas.push(stream.flush());
      assert.equal(deltas.join(''), text);
      assert.equal(tokenizer.decode(ids), text, 'lossless decode');
      for (const delta of deltas) assert.ok(!delta.includes('\uFFFD'), `delta ${JSON.stringify(delta)} of ${JSON.stringify(text)}`);
    }
  });

  it('streams the continuation of a prompt with the prompt as left context', () => {
    const prompt = tokenizer.encodeText('const greeting = "');
    const completion = tokenizer.encodeText('héllo 😀";');
    const stream = new StreamingDetokenizer((tokens) => tokenizer.decode(tokens), prompt);
    const text = completion.map((id) => stream.push(id)).join('') + stream.flush();
    assert.equal(text, tokenizer.decode([...prompt, ...completion]).slice(tokenizer.decode(prompt).length));
  });

  it('encodes text that spells a special token as ordinary text', () => {
    for (const role of ['endOfText', 'fimPrefix', 'fimMiddle', 'fimSuffix', 'fileSeparator'] as const) {
      const id = tokenizer.idOfRole(role);
      const spelled = tokenizer.decode([id]);
      const ids = tokenizer.encodeText(`x ${spelled} y`);
      assert.ok(!ids.some((token) => tokenizer.specialIds.has(token)), `${role} injected`);
      assert.equal(tokenizer.decode(ids), `x ${spelled} y`);
    }
  });

  it('puts special tokens only where the prompt names them', () => {
    const ids = tokenizer.encodePrompt([
      { kind: 'special', token: 'fimPrefix' },
      { kind: 'text', text: 'a' },
      { kind: 'special', token: 'fimSuffix' },
      { kind: 'text', text: '<|fim_middle|>' },
      { kind: 'special', token: 'fimMiddle' },
    ]);
    const specials = ids.filter((token) => tokenizer.specialIds.has(token));
    assert.deepEqual(specials, [tokenizer.idOfRole('fimPrefix'), tokenizer.idOfRole('fimSuffix'), tokenizer.idOfRole('fimMiddle')]);
  });
});
