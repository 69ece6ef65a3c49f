/**
 * Reads and checks a model folder in the transformers.js layout:
 *   config.json, generation_config.json (optional), tokenizer.json, tokenizer_config.json,
 *   onnx/<model>.onnx (+ optional <model>.onnx_data external weights).
 * Every problem becomes an EngineError naming the file.
 */
import { EngineError } from './errors';
import type { ModelFileSource } from './modelFiles';

/** Which weights to load: int8 (`model_quantized.onnx`), fp32 (`model.onnx`), or the first present. */
export type ModelDtype = 'auto' | 'q8' | 'fp32';

const ONNX_CANDIDATES: Record<Exclude<ModelDtype, 'auto'>, readonly string[]> = {
  q8: ['onnx/model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx'],
  fp32: ['onnx/model.onnx', 'onnx/decoder_model_merged.onnx'],
};

/** The fields of config.json and generation_config.json the engine uses. */
export interface ModelConfig {
  readonly modelType: string;
  readonly vocabSize?: number;
  readonly numLayers?: number;
  readonly numKeyValueHeads?: number;
  readonly headDim?: number;
  /** Training context: max_position_embeddings / n_positions / n_ctx. */
  readonly contextTokens?: number;
  /** EOS ids from generation_config.json, else config.json (may be empty: the tokenizer's EOS then). */
  readonly eosTokenIds: readonly number[];
  /** The file eosTokenIds come from, when one states them. */
  readonly eosSource?: 'generation_config.json' | 'config.json';
}

export interface ModelFolder {
  readonly files: ModelFileSource;
  readonly config: ModelConfig;
  readonly tokenizerJson: Record<string, unknown>;
  readonly tokenizerConfig: Record<string, unknown>;
  /** The ONNX graph chosen, relative to the folder. */
  readonly onnxFile: string;
  /** External weights file next to the graph (`model.onnx_data`), if any. */
  readonly onnxDataFile?: string;
  /** Bytes of graph + external weights. */
  readonly weightBytes: number;
}

export interface ModelFolderOptions {
  readonly dtype?: ModelDtype;
  /** Refuse models whose weights exceed this many bytes (default DEFAULT_MAX_MODEL_BYTES). */
  readonly maxModelBytes?: number;
}

/**
 * WASM32 addresses at most 4 GiB, its memory never shrinks, and the weights are copied into it
 * next to activations and the KV cache: refuse weights above 2 GiB unless configured otherwise.
 */
export const DEFAULT_MAX_MODEL_BYTES = 2 * 1024 ** 3;

export async function readModelFolder(files: ModelFileSource, options: ModelFolderOptions = {}): Promise<ModelFolder> {
  const configJson = await readJson(files, 'config.json', true);
  const generationConfig = (await readJson(files, 'generation_config.json', false)) ?? {};
  const tokenizerJson = await readJson(files, 'tokenizer.json', true);
  const tokenizerConfig = (await readJson(files, 'tokenizer_config.json', false)) ?? {};
  const { onnxFile, onnxDataFile, weightBytes } = await chooseOnnxFile(files, options.dtype ?? 'auto');
  const maxModelBytes = options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES;
  if (weightBytes > maxModelBytes) {
    throw new EngineError(
      'model-too-large',
      `Model ${files.describe(onnxFile)} needs ${megabytes(weightBytes)} MB of weights, more than the ` +
        `${megabytes(maxModelBytes)} MB the engine is configured to use`,
      files.describe(onnxFile),
    );
  }
  return {
    files,
    config: parseModelConfig(configJson!, generationConfig),
    tokenizerJson: tokenizerJson!,
    tokenizerConfig,
    onnxFile,
    onnxDataFile,
    weightBytes,
  };
}

function parseModelConfig(config: Record<string, unknown>, generation: Record<string, unknown>): ModelConfig {
  const numberField = (...names: string[]): number | undefined => {
    for (const name of names) {
      const value = config[name];
      if (typeof value === 'number' && Number.isFinite(value)) {
        return value;
      }
    }
    return undefined;
  };
  const numAttentionHeads = numberField('num_attention_heads', 'n_head');
  const hiddenSize = numberField('hidden_size', 'n_embd');
  const headDim =
    numberField('head_dim') ?? (numAttentionHeads && hiddenSize ? hiddenSize / numAttentionHeads : undefined);
  return {
    modelType: typeof config.model_type === 'string' ? config.model_type : 'unknown',
    vocabSize: numberField('vocab_size'),
    numLayers: numberField('num_hidden_layers', 'n_layer'),
    numKeyValueHeads: numberField('num_key_value_heads', 'multi_query_group_num') ?? numAttentionHeads,
    headDim,
    contextTokens: numberField('max_position_embeddings', 'n_positions', 'n_ctx', 'seq_length'),
    eosTokenIds: tokenIds(generation.eos_token_id) ?? tokenIds(config.eos_token_id) ?? [],
    ...(tokenIds(generation.eos_token_id) ? { eosSource: 'generation_config.json' as const } : tokenIds(config.eos_token_id) ? { eosSource: 'config.json' as const } : {}),
  };
}

function tokenIds(value: unknown): number[] | undefined {
  if (typeof value === 'number') {
    return [value];
  }
  if (Array.isArray(value) && value.every((id) => typeof id === 'number')) {
    return value as number[];
  }
  return undefined;
}

async function chooseOnnxFile(
  files: ModelFileSource,
  dtype: ModelDtype,
): Promise<{ onnxFile: string; onnxDataFile?: string; weightBytes: number }> {
  const candidates = dtype === 'auto' ? [...ONNX_CANDIDATES.q8, ...ONNX_CANDIDATES.fp32] : ONNX_CANDIDATES[dtype];
  for (const onnxFile of candidates) {
    const size = await files.size(onnxFile);
    if (size === undefined) {
      continue;
    }
    const dataSize = await files.size(`${onnxFile}_data`);
    return {
      onnxFile,
      onnxDataFile: dataSize === undefined ? undefined : `${onnxFile}_data`,
      weightBytes: size + (dataSize ?? 0),
    };
  }
  const expected = files.describe(candidates[0]);
  throw new EngineError(
    'missing-file',
    `No ONNX model found: expected ${candidates.map((file) => files.describe(file)).join(' or ')}`,
    expected,
  );
}

async function readJson(
  files: ModelFileSource,
  relativePath: string,
  required: boolean,
): Promise<Record<string, unknown> | undefined> {
  if (!required && (await files.size(relativePath)) === undefined) {
    return undefined;
  }
  const text = await files.readText(relativePath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const file = files.describe(relativePath);
    throw new EngineError('corrupt-file', `${file} is not valid JSON: ${(error as Error).message}`, file);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const file = files.describe(relativePath);
    throw new EngineError('corrupt-file', `${file} must hold a JSON object`, file);
  }
  return parsed as Record<string, unknown>;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
