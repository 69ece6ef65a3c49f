/**
 * Reads what a causal-LM ONNX graph takes and returns, from the session's own input/output
 * metadata plus config.json, and refuses graphs this engine cannot drive with a clear error.
 * Supported: Hugging Face optimum / transformers.js decoder exports (Llama, Qwen2, Mistral, GPT-2,
 * ...): input_ids, optional attention_mask, optional position_ids, optional use_cache_branch
 * (merged decoders), past_key_values.{i}.key/value shaped [batch, kv_heads, past, head_dim];
 * outputs logits ([batch, seq or 1, vocab]) and present.{i}.key/value.
 */
import { EngineError } from './errors';
import type { ModelConfig } from './modelFolder';

export type KvElementType = 'float32';

export interface KvLayerNames {
  readonly pastKey: string;
  readonly pastValue: string;
  readonly presentKey: string;
  readonly presentValue: string;
}

export interface DecoderGraph {
  readonly hasAttentionMask: boolean;
  readonly hasPositionIds: boolean;
  readonly hasUseCacheBranch: boolean;
  readonly layers: readonly KvLayerNames[];
  readonly kvHeads: number;
  readonly headDim: number;
  readonly kvType: KvElementType;
  /** The logits' last dimension when the graph states it (the vocabulary the model scores). */
  readonly logitsVocab?: number;
}

/** The part of an ONNX session's metadata this module reads. */
export interface GraphValueInfo {
  readonly name: string;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

const PAST_NAME = /^past_key_values\.(\d+)\.(key|value)$/;
const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch']);

export function readDecoderGraph(
  inputs: readonly GraphValueInfo[],
  outputs: readonly GraphValueInfo[],
  config: ModelConfig,
  onnxFile: string,
  /** config.json as shown in errors: a mismatch names both files. */
  configFile = 'config.json',
): DecoderGraph {
  const fail = (problem: string): never => {
    throw new EngineError('unsupported-graph', `Cannot run ${onnxFile}: ${problem}`, onnxFile);
  };
  const inputNames = new Set(inputs.map((input) => input.name));
  const outputNames = new Set(outputs.map((output) => output.name));
  if (!inputNames.has('input_ids')) {
    fail(`it has no input_ids input (inputs: ${[...inputNames].join(', ')})`);
  }
  const unknown = [...inputNames].filter((name) => !KNOWN_INPUTS.has(name) && !PAST_NAME.test(name));
  if (unknown.length > 0) {
    fail(`unexpected inputs ${unknown.join(', ')}; only decoder-only causal LMs are supported`);
  }
  if (!outputNames.has('logits')) {
    fail(`it has no logits output (outputs: ${[...outputNames].join(', ')})`);
  }

  const layerCount = inputs.filter((input) => PAST_NAME.test(input.name)).length / 2;
  if (layerCount === 0) {
    fail('it has no past_key_values inputs; export it with its KV cache (task text-generation-with-past)');
  }
  if (config.numLayers !== undefined && config.numLayers !== layerCount) {
    fail(`it has ${layerCount} past_key_values layers but ${configFile} says ${config.numLayers} layers (num_hidden_layers)`);
  }
  const layers: KvLayerNames[] = [];
  for (let layer = 0; layer < layerCount; layer++) {
    const names: KvLayerNames = {
      pastKey: `past_key_values.${layer}.key`,
      pastValue: `past_key_values.${layer}.value`,
      presentKey: `present.${layer}.key`,
      presentValue: `present.${layer}.value`,
    };
    for (const name of [names.pastKey, names.pastValue]) {
      if (!inputNames.has(name)) fail(`input ${name} is missing`);
    }
    for (const name of [names.presentKey, names.presentValue]) {
      if (!outputNames.has(name)) fail(`output ${name} is missing`);
    }
    layers.push(names);
  }

  const firstPast = inputs.find((input) => input.name === layers[0].pastKey)!;
  const shape = firstPast.shape;
  if (shape !== undefined && shape.length !== 4) {
    fail(`${firstPast.name} has shape [${shape.join(', ')}]; expected [batch, kv_heads, past_sequence, head_dim]`);
  }
  const kvHeads = staticDim(shape?.[1]) ?? config.numKeyValueHeads;
  const headDim = staticDim(shape?.[3]) ?? config.headDim;
  if (kvHeads === undefined || headDim === undefined) {
    fail('the KV-cache head count and head size are neither in the graph nor in config.json');
  }
  if (config.numKeyValueHeads !== undefined && staticDim(shape?.[1]) !== undefined && kvHeads !== config.numKeyValueHeads) {
    fail(`${firstPast.name} has ${kvHeads} heads but ${configFile} says ${config.numKeyValueHeads} key/value heads`);
  }
  if (config.headDim !== undefined && staticDim(shape?.[3]) !== undefined && headDim !== config.headDim) {
    fail(`${firstPast.name} has heads of size ${headDim} but ${configFile} says ${config.headDim} (head_dim, or hidden_size / num_attention_heads)`);
  }
  const kvType = firstPast.type ?? 'float32';
  if (kvType !== 'float32') {
    fail(`${firstPast.name} has element type ${kvType}; expected float32 (fp16 caches are not supported yet)`);
  }
  const logits = outputs.find((output) => output.name === 'logits')!;
  if (logits.shape !== undefined && logits.shape.length !== 3) {
    fail(`logits has shape [${logits.shape.join(', ')}]; expected [batch, sequence, vocab]`);
  }
  const logitsVocab = staticDim(logits.shape?.[2]);
  if (logitsVocab !== undefined && config.vocabSize !== undefined && logitsVocab !== config.vocabSize) {
    fail(`its logits score ${logitsVocab} tokens but ${configFile} says vocab_size ${config.vocabSize}`);
  }
  return {
    hasAttentionMask: inputNames.has('attention_mask'),
    hasPositionIds: inputNames.has('position_ids'),
    hasUseCacheBranch: inputNames.has('use_cache_branch'),
    layers,
    kvHeads: kvHeads!,
    headDim: headDim!,
    kvType: kvType as KvElementType,
    ...(logitsVocab !== undefined ? { logitsVocab } : {}),
  };
}

function staticDim(dim: number | string | undefined): number | undefined {
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}
