/**
 * Whether the files of a model folder belong together: config.json (and generation_config.json),
 * the tokenizer (tokenizer.json, tokenizer_config.json) and the ONNX graph. A tokenizer or a config
 * from another model would otherwise load and write garbage, or never stop. Each mismatch is one
 * EngineError line that names both files. config.json against the graph's past_key_values
 * (layers, heads, head size) and logits (vocab_size) is checked in decoderGraph.ts.
 */
import type { DecoderGraph } from './decoderGraph';
import { EngineError } from './errors';
import type { ModelFolder } from './modelFolder';
import { tokenContent } from './tokenizer';

/**
 * A vocabulary padded for speed (to a multiple of 64-1024 ids) has ids no tokenizer produces, but
 * fewer than 1024 and fewer than a tenth of it; a tokenizer missing more belongs to another model.
 */
const MAX_PADDING_IDS = 1024;
const MAX_PADDING_SHARE = 0.1;

/** What the checks need to know of the tokenizer. */
export interface TokenizerFacts {
  /** tokenizer.json, as shown in errors. */
  readonly file: string;
  /** The largest id it can produce (vocabulary and added tokens). */
  readonly largestId: number;
  /** Its end-of-text token's id, if it has one. */
  readonly endOfTextId?: number;
}

/** The tokenizer against config.json and generation_config.json: the end-of-sequence ids. */
export function checkTokenizerAgainstConfig(folder: ModelFolder, tokenizer: TokenizerFacts): void {
  const { eosTokenIds, eosSource } = folder.config;
  if (eosSource === undefined) {
    return;
  }
  const eosFile = folder.files.describe(eosSource);
  const outside = eosTokenIds.find((id) => id < 0 || id > tokenizer.largestId);
  if (outside !== undefined) {
    throw mismatch(`${eosFile} says eos_token_id ${outside} but ${tokenizer.file} has ids up to ${tokenizer.largestId}`, tokenizer.file);
  }
  // The end-of-text token the tokenizer's own config names must be one the model stops at.
  const named = tokenContent(folder.tokenizerConfig.eos_token);
  if (named !== undefined && tokenizer.endOfTextId !== undefined && !eosTokenIds.includes(tokenizer.endOfTextId)) {
    const tokenizerConfig = folder.files.describe('tokenizer_config.json');
    throw mismatch(
      `${tokenizerConfig} names eos_token ${named} (id ${tokenizer.endOfTextId}) but ${eosFile} says eos_token_id ${eosTokenIds.join(', ')}`,
      tokenizerConfig,
    );
  }
}

/**
 * The tokenizer's vocabulary against the logits of the ONNX graph, or against config.json's
 * vocab_size when the graph leaves the logits' size open. Run once the graph is read, which has
 * already compared config.json with it: with three files, the message blames the odd one out.
 */
export function checkTokenizerVocabulary(folder: ModelFolder, graph: DecoderGraph, onnxFile: string, tokenizer: TokenizerFacts): void {
  const vocabSize = folder.config.vocabSize;
  if (graph.logitsVocab !== undefined) {
    checkVocabulary(tokenizer, graph.logitsVocab, `the logits of ${onnxFile} score ${graph.logitsVocab} tokens`);
  } else if (vocabSize !== undefined) {
    checkVocabulary(tokenizer, vocabSize, `${folder.files.describe('config.json')} says vocab_size ${vocabSize}`);
  }
  const outside = tokenizer.endOfTextId !== undefined && graph.logitsVocab !== undefined && tokenizer.endOfTextId >= graph.logitsVocab;
  if (outside) {
    throw mismatch(`${tokenizer.file} ends text with id ${tokenizer.endOfTextId} but ${onnxFile} scores ids up to ${graph.logitsVocab! - 1}`, tokenizer.file);
  }
}

/** The tokenizer's ids fit the model's vocabulary, and cover it but for padding. */
function checkVocabulary(tokenizer: TokenizerFacts, vocabulary: number, other: string): void {
  if (tokenizer.largestId >= vocabulary) {
    throw mismatch(`${tokenizer.file} has token ids up to ${tokenizer.largestId} but ${other}`, tokenizer.file);
  }
  const missing = vocabulary - (tokenizer.largestId + 1);
  if (missing >= Math.min(MAX_PADDING_IDS, MAX_PADDING_SHARE * vocabulary)) {
    throw mismatch(`${tokenizer.file} has ${tokenizer.largestId + 1} tokens but ${other}`, tokenizer.file);
  }
}

function mismatch(problem: string, file: string): EngineError {
  return new EngineError('tokenizer', `${problem}: they do not belong together`, file);
}
