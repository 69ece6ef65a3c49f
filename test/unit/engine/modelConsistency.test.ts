/**
 * Issue 17, item 4: a model folder whose files do not belong together (config.json, the tokenizer,
 * the ONNX graph) is refused with one line naming both files, instead of loading and writing
 * garbage. Broken copies of models/lgc-fixture (1024 tokens, 2 layers, 2 KV heads of 16).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DecoderGraph } from '../../../src/engine/decoderGraph';
import { EngineError, type EngineErrorCode } from '../../../src/engine/errors';
import { checkTokenizerVocabulary } from '../../../src/engine/modelConsistency';
import type { ModelFolder } from '../../../src/engine/modelFolder';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { TextGenerationEngine } from '../../../src/engine/textGenerationEngine';
import { repoRoot, testThreads, wasmDir } from './testModels';

const FIXTURE = path.join(repoRoot, 'models', 'lgc-fixture');
const ready = fs.existsSync(path.join(FIXTURE, 'config.json'));

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

async function loadError(dir: string): Promise<EngineError> {
  try {
    const engine = await TextGenerationEngine.load(new NodeModelFiles(dir), { threads: testThreads, wasmDir, warmUp: false });
    await engine.dispose();
  } catch (error) {
    assert.ok(error instanceof EngineError, `not an EngineError: ${error}`);
    return error;
  }
  assert.fail('the model loaded');
}

/** One line, the code, the file blamed, and both files named. */
function assertMismatch(error: EngineError, code: EngineErrorCode, file: string, other: string, pattern: RegExp): void {
  assert.equal(error.code, code, error.message);
  assert.equal(error.file, file);
  assert.ok(!error.message.includes('\n'), 'one line');
  assert.ok(error.message.includes(file) && error.message.includes(other), `names ${file} and ${other}: ${error.message}`);
  assert.match(error.message, pattern);
}

(ready ? describe : describe.skip)('model folder consistency (broken copies of lgc-fixture)', function () {
  this.timeout(60_000);
  const made: string[] = [];
  const broken = (file: string, edit: (json: Record<string, unknown>) => void): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgc-mismatch-'));
    made.push(dir);
    fs.cpSync(FIXTURE, dir, { recursive: true });
    editJson(path.join(dir, file), edit);
    return dir;
  };
  const files = (dir: string) => ({
    config: path.join(dir, 'config.json'),
    generation: path.join(dir, 'generation_config.json'),
    tokenizer: path.join(dir, 'tokenizer.json'),
    tokenizerConfig: path.join(dir, 'tokenizer_config.json'),
    onnx: path.join(dir, 'onnx', 'model_quantized.onnx'),
  });
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('the untouched fixture loads', async () => {
    const engine = await TextGenerationEngine.load(new NodeModelFiles(FIXTURE), { threads: testThreads, wasmDir, warmUp: false });
    await engine.dispose();
  });

  it('config.json vocab_size 50257 beside logits of 1024', async () => {
    const dir = broken('config.json', (json) => (json.vocab_size = 50257));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'unsupported-graph', f.onnx, f.config, /logits score 1024 tokens but .* says vocab_size 50257/);
  });

  it('config.json with another layer count than the past_key_values inputs', async () => {
    const dir = broken('config.json', (json) => (json.num_hidden_layers = 4));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'unsupported-graph', f.onnx, f.config, /2 past_key_values layers but .* says 4 layers/);
  });

  it('config.json with another key/value head count', async () => {
    const dir = broken('config.json', (json) => (json.num_key_value_heads = 4));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'unsupported-graph', f.onnx, f.config, /has 2 heads but .* says 4 key\/value heads/);
  });

  it('config.json with another head size', async () => {
    const dir = broken('config.json', (json) => (json.head_dim = 32));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'unsupported-graph', f.onnx, f.config, /heads of size 16 but .* says 32/);
  });

  it('a tokenizer with ids past the logits', async () => {
    const dir = broken('tokenizer.json', (json) => {
      (json.added_tokens as object[]).push({ id: 8191, content: '<|other|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    });
    const f = files(dir);
    assertMismatch(await loadError(dir), 'tokenizer', f.tokenizer, f.onnx, /ids up to 8191 but the logits .* score 1024 tokens/);
  });

  it('an end-of-sequence id the tokenizer does not have', async () => {
    const dir = broken('generation_config.json', (json) => (json.eos_token_id = [50256]));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'tokenizer', f.tokenizer, f.generation, /says eos_token_id 50256 but .* has ids up to 1023/);
  });

  it("an end-of-sequence id that is not the tokenizer's end-of-text token", async () => {
    const dir = broken('generation_config.json', (json) => (json.eos_token_id = [5]));
    const f = files(dir);
    assertMismatch(await loadError(dir), 'tokenizer', f.tokenizerConfig, f.generation, /names eos_token <\|endoftext\|> \(id 0\) but .* says eos_token_id 5/);
  });
});

describe('tokenizer vocabulary against the model', () => {
  const folder = (vocabSize?: number): ModelFolder =>
    ({ files: { describe: (file: string) => `/m/${file}` }, config: { modelType: 'llama', vocabSize, eosTokenIds: [0] } }) as unknown as ModelFolder;
  const graph = (logitsVocab?: number): DecoderGraph => ({ logitsVocab }) as DecoderGraph;
  const check = (largestId: number, logits?: number, vocabSize?: number) => () =>
    checkTokenizerVocabulary(folder(vocabSize), graph(logits), '/m/onnx/model.onnx', { file: '/m/tokenizer.json', largestId, endOfTextId: 0 });

  it('accepts a vocabulary padded for speed (Qwen2.5: 151,665 tokens, 151,936 logits)', () => {
    assert.doesNotThrow(check(151664, 151936));
    assert.doesNotThrow(check(1023, 1024));
    assert.doesNotThrow(check(999, 1024));
  });

  it('refuses a tokenizer far smaller than the logits: it belongs to another model', () => {
    assert.throws(check(8191, 50257), /\/m\/tokenizer\.json has 8192 tokens but the logits of \/m\/onnx\/model\.onnx score 50257 tokens/);
    assert.throws(check(511, 1024), /512 tokens/);
  });

  it("uses config.json's vocab_size when the graph leaves the logits' size open", () => {
    assert.throws(check(2047, undefined, 1024), /ids up to 2047 but \/m\/config\.json says vocab_size 1024/);
    assert.doesNotThrow(check(2047, undefined, undefined));
  });
});
