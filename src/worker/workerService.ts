/**
 * The worker side of the protocol, independent of the transport: a Node worker thread
 * (`nodeWorker.ts`) or, later, a browser Worker feeds it messages and posts its replies.
 * Requests run one at a time on the engine; a `cancel` marks a request, and the engine checks the
 * mark between decode steps.
 */
import type { ExecutionProvider } from '../engine/decoderSession';
import { EngineError } from '../engine/errors';
import type { ModelFileSource } from '../engine/modelFiles';
import { TextGenerationEngine } from '../engine/textGenerationEngine';
import { resolveThreadCount } from '../engine/threads';
import {
  assertNever,
  type BackendSetting,
  type HostToWorkerMessage,
  type LoadConfig,
  type RequestId,
  type WorkerToHostMessage,
} from '../protocol/messages';

export interface WorkerPlatform {
  readonly cores: number;
  openModelFolder(modelDir: string, config: LoadConfig): ModelFileSource;
  /**
   * Execution providers to try, in order, for the backend setting, and what they run on (the
   * browser worker asks navigator.gpu for an adapter). Absent: WASM only (the Node worker).
   */
  executionProviders?(backend: BackendSetting): Promise<{ readonly providers: readonly ExecutionProvider[]; readonly detail?: string }>;
}

export class WorkerService {
  private engine: Promise<TextGenerationEngine> | undefined;
  private readonly cancelled = new Set<RequestId>();
  private readonly active = new Set<RequestId>();

  constructor(
    private readonly post: (message: WorkerToHostMessage) => void,
    private readonly platform: WorkerPlatform,
  ) {}

  handle(message: HostToWorkerMessage): void {
    switch (message.type) {
      case 'load':
        this.track(message.requestId, () => this.load(message.requestId, message.config));
        break;
      case 'countTokens':
        this.track(message.requestId, async () => {
          const engine = await this.loadedEngine();
          this.post({ type: 'tokenCount', requestId: message.requestId, count: engine.countTokens(message.text) });
        });
        break;
      case 'generate':
        this.track(message.requestId, async () => {
          const engine = await this.loadedEngine();
          const result = await engine.generate(
            message.prompt,
            message.options,
            (text) => this.post({ type: 'delta', requestId: message.requestId, text }),
            () => this.cancelled.has(message.requestId),
          );
          this.post({ type: 'generated', requestId: message.requestId, result });
        });
        break;
      case 'prefill':
        this.track(message.requestId, async () => {
          const engine = await this.loadedEngine();
          const result = await engine.prefill(message.prompt, () => this.cancelled.has(message.requestId));
          this.post({ type: 'prefilled', requestId: message.requestId, result });
        });
        break;
      case 'cancel':
        if (this.active.has(message.requestId)) {
          this.cancelled.add(message.requestId);
        }
        break;
      case 'ngramDocuments':
        // Applied as soon as the model is loaded; a model that failed to load has no cache to fill.
        void this.engine?.then((engine) => engine.applyNgramChanges(message.changes)).catch(() => {});
        break;
      case 'dispose':
        void this.dispose();
        break;
      default:
        assertNever(message);
    }
  }

  private async load(requestId: RequestId, config: LoadConfig): Promise<void> {
    const previous = this.engine;
    this.engine = undefined;
    await previous?.then((engine) => engine.dispose(), () => {});
    const backend = (await this.platform.executionProviders?.(config.backend ?? 'wasm')) ?? { providers: ['wasm'] as const };
    const loading = TextGenerationEngine.load(
      this.platform.openModelFolder(config.modelDir, config),
      {
        threads: resolveThreadCount(config.threads, this.platform.cores),
        wasmDir: config.wasmDir,
        wasmBinary: config.wasmBinary,
        executionProviders: backend.providers,
        dtype: config.dtype,
        maxModelBytes: config.maxModelBytes,
        maxCachedTokens: config.maxCachedTokens,
        warmUp: config.warmUp,
      },
      (progress) => this.post({ type: 'loadProgress', requestId, progress }),
    );
    this.engine = loading;
    const engine = await loading;
    const backendDetail = engine.info.backendDetail ?? backend.detail;
    this.post({ type: 'loaded', requestId, info: backendDetail ? { ...engine.info, backendDetail } : engine.info });
  }

  private async loadedEngine(): Promise<TextGenerationEngine> {
    if (!this.engine) {
      throw new EngineError('not-loaded', 'No model is loaded in the inference worker');
    }
    return this.engine;
  }

  /** Runs a request and turns any failure into a `failed` reply; forgets its cancel mark after. */
  private track(requestId: RequestId, run: () => Promise<void>): void {
    this.active.add(requestId);
    run()
      .catch((error: unknown) => {
        this.post({ type: 'failed', requestId, error: EngineError.wrap(error).toData() });
      })
      .finally(() => {
        this.active.delete(requestId);
        this.cancelled.delete(requestId);
      });
  }

  private async dispose(): Promise<void> {
    for (const requestId of this.active) this.cancelled.add(requestId);
    const engine = this.engine;
    this.engine = undefined;
    try {
      await (await engine)?.dispose();
    } catch {
      // A model that failed to load has nothing to release.
    }
    this.post({ type: 'disposed' });
  }
}
