/**
 * One onnxruntime-web session (WASM or WebGPU execution provider) of a causal-LM decoder graph:
 * builds the inputs of a run from new token ids and the KV cache, runs it, returns the logits of
 * the last position and moves the present tensors into the cache.
 */
import { onnxRuntimeWeb, type InferenceSession, type Tensor } from './onnxRuntime';
import { readDecoderGraph, type DecoderGraph, type GraphValueInfo } from './decoderGraph';
import { EngineError } from './errors';
import type { KvCache } from './kvCache';
import type { ModelFolder } from './modelFolder';

/** The onnxruntime-web execution providers the engine uses (WebGPU only exists in browsers). */
export type ExecutionProvider = 'wasm' | 'webgpu';

export interface RuntimeSettings {
  /** Folder (or URL prefix) holding ort-wasm-simd-threaded.{mjs,wasm}; never fetched remotely. */
  readonly wasmDir?: string;
  /**
   * The runtime's .wasm file itself, for a worker that cannot read files (the browser worker gets
   * it from the extension host); onnxruntime-web then fetches nothing.
   */
  readonly wasmBinary?: Uint8Array;
  /** WASM threads; fixed by the first session created in this thread. */
  readonly threads: number;
}

let runtimeThreads: number | undefined;

/** Applies settings before the first session; ort-web cannot change its thread pool afterwards. */
export function configureOnnxRuntime(settings: RuntimeSettings): void {
  if (runtimeThreads !== undefined) return;
  runtimeThreads = settings.threads;
  const { env } = onnxRuntimeWeb();
  if (settings.wasmDir !== undefined) {
    env.wasm.wasmPaths = settings.wasmDir.endsWith('/') ? settings.wasmDir : `${settings.wasmDir}/`;
  }
  if (settings.wasmBinary !== undefined) {
    env.wasm.wasmBinary = settings.wasmBinary;
  }
  env.wasm.numThreads = settings.threads;
  env.wasm.proxy = false;
  env.logLevel = 'error';
}

/** The thread count the runtime of this thread was configured with. */
export function configuredThreads(): number | undefined {
  return runtimeThreads;
}

export class DecoderSession {
  private constructor(
    private readonly session: InferenceSession,
    readonly graph: DecoderGraph,
    private readonly onnxFile: string,
    /** The execution provider the session runs on. */
    readonly executionProvider: ExecutionProvider,
    /** Why an earlier provider of the list was not used, when one failed. */
    readonly fallbackReason: string | undefined,
  ) {}

  /**
   * Creates the session on the first of `providers` that can load the model: a WebGPU device that
   * fails to initialise (lost adapter, unsupported limits) falls back to the next one.
   */
  static async create(
    folder: ModelFolder,
    weights: Uint8Array,
    externalWeights?: Uint8Array,
    providers: readonly ExecutionProvider[] = ['wasm'],
  ): Promise<DecoderSession> {
    const onnxFile = folder.files.describe(folder.onnxFile);
    const failures: string[] = [];
    for (const provider of providers) {
      let session: InferenceSession;
      try {
        session = await onnxRuntimeWeb().InferenceSession.create(weights, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
          ...(externalWeights && folder.onnxDataFile
            ? { externalData: [{ path: folder.onnxDataFile.split('/').pop()!, data: externalWeights }] }
            : {}),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures.push(providers.length > 1 ? `${provider}: ${reason}` : reason);
        continue;
      }
      try {
        const configFile = folder.files.describe('config.json');
        const graph = readDecoderGraph(valueInfo(session.inputMetadata), valueInfo(session.outputMetadata), folder.config, onnxFile, configFile);
        return new DecoderSession(session, graph, onnxFile, provider, failures.length > 0 ? failures.join('; ') : undefined);
      } catch (error) {
        await session.release();
        throw error;
      }
    }
    throw new EngineError('corrupt-file', `onnxruntime-web cannot load ${onnxFile}: ${failures.join('; ')}`, onnxFile);
  }

  /** Runs `newTokens` after the cached ones; returns a copy of the last position's logits. */
  async run(newTokens: readonly number[], cache: KvCache): Promise<Float32Array> {
    const pastLength = cache.length;
    const count = newTokens.length;
    const total = pastLength + count;
    const feeds: Record<string, Tensor> = {
      input_ids: new (onnxRuntimeWeb().Tensor)('int64', BigInt64Array.from(newTokens, BigInt), [1, count]),
      ...cache.pastFeeds(),
    };
    if (this.graph.hasAttentionMask) {
      feeds.attention_mask = new (onnxRuntimeWeb().Tensor)('int64', new BigInt64Array(total).fill(1n), [1, total]);
    }
    if (this.graph.hasPositionIds) {
      const positions = new BigInt64Array(count);
      for (let index = 0; index < count; index++) positions[index] = BigInt(pastLength + index);
      feeds.position_ids = new (onnxRuntimeWeb().Tensor)('int64', positions, [1, count]);
    }
    if (this.graph.hasUseCacheBranch) {
      feeds.use_cache_branch = new (onnxRuntimeWeb().Tensor)('bool', new Uint8Array([pastLength > 0 ? 1 : 0]), [1]);
    }
    let outputs: InferenceSession.ReturnType;
    try {
      outputs = await this.session.run(feeds);
    } catch (error) {
      throw EngineError.wrap(error, 'internal', this.onnxFile);
    }
    const logits = outputs.logits;
    if (logits.type !== 'float32' || logits.dims.length !== 3) {
      throw new EngineError('unsupported-graph', `logits of ${this.onnxFile} are ${logits.type} [${logits.dims.join(', ')}]; expected float32 [1, sequence, vocab]`, this.onnxFile);
    }
    const [, positions, vocab] = logits.dims;
    const lastRow = (logits.data as Float32Array).slice((positions - 1) * vocab, positions * vocab);
    cache.append(newTokens, outputs);
    return lastRow;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function valueInfo(metadata: readonly InferenceSession.ValueMetadata[]): GraphValueInfo[] {
  return metadata.map((value) =>
    value.isTensor ? { name: value.name, type: value.type, shape: value.shape } : { name: value.name },
  );
}
