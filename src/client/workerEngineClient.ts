/**
 * The host side of the inference worker: implements the completion pipeline's CompletionEngine
 * over the message protocol. Requests get ids; an AbortSignal sends `cancel`; in newest-wins mode
 * a new generate/prefill cancels the one still running (the typing case), except that a prefill,
 * being background work, never cancels a generation: it is skipped instead. A worker that dies
 * fails its pending requests with a typed `worker-crashed` error and is restarted with backoff; so
 * does one that hangs (requests pending and not a message from it for `hangTimeoutMs`).
 * `dispose()` releases the session and ends the thread.
 */
import { Worker } from 'node:worker_threads';
import type { CompletionEngine, GenerateOptions, GenerateResult, ModelInfo, PromptPart } from '../core/engine';
import { EngineError } from '../engine/errors';
import { type CacheDocument, DocumentChangeTracker, isEmptyChange } from '../engine/ngram/documentChanges';
import type { EngineModelInfo, LoadProgress } from '../engine/textGenerationEngine';
import {
  assertNever,
  type HostToWorkerMessage,
  type LoadConfig,
  type RequestId,
  type WorkerToHostMessage,
} from '../protocol/messages';
import { DEFAULT_RESTART_BACKOFF, RestartBackoff, type RestartBackoffOptions } from './restartBackoff';

/** What the client needs of a worker thread (a node:worker_threads Worker; a fake in tests). */
export interface WorkerHandle {
  postMessage(message: HostToWorkerMessage): void;
  on(event: 'message', listener: (message: WorkerToHostMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
}

export type WorkerEngineEvent =
  | { readonly kind: 'loadProgress'; readonly progress: LoadProgress }
  | { readonly kind: 'loaded'; readonly info: EngineModelInfo }
  | { readonly kind: 'loadFailed'; readonly error: EngineError }
  | { readonly kind: 'crashed'; readonly error: EngineError; readonly restartInMs?: number };

export interface WorkerEngineClientOptions {
  /** Path of dist/worker.js. */
  readonly workerScript: string;
  readonly load: LoadConfig;
  /** A new generate/prefill cancels the previous one still in flight (a prefill never cancels a generate). */
  readonly newestWins?: boolean;
  readonly onEvent?: (event: WorkerEngineEvent) => void;
  readonly restartBackoff?: RestartBackoffOptions;
  /** Milliseconds to wait for the worker to release its session on dispose before terminating it. */
  readonly disposeTimeoutMs?: number;
  /**
   * A worker with requests pending that sends nothing for this long is taken for hung and
   * restarted like a crashed one (0: never). A decode step or a prefill takes well under a second
   * here; a whole 1024-token prefill about one.
   */
  readonly hangTimeoutMs?: number;
  readonly createWorker?: (workerScript: string) => WorkerHandle;
}

/** The requests newest-wins mode weighs against each other. */
type InteractiveKind = 'generate' | 'prefill';

export const DEFAULT_HANG_TIMEOUT_MS = 60_000;

type FinalMessage = Exclude<WorkerToHostMessage, { type: 'ready' | 'loadProgress' | 'delta' | 'disposed' }>;

interface PendingRequest {
  readonly settle: (message: FinalMessage) => void;
  readonly fail: (error: EngineError) => void;
  readonly onDelta?: (text: string) => void;
}

interface RunningWorker {
  readonly handle: WorkerHandle;
  readonly loaded: Promise<EngineModelInfo>;
}

export class WorkerEngineClient implements CompletionEngine {
  private nextRequestId = 1;
  private readonly pending = new Map<RequestId, PendingRequest>();
  private current: RunningWorker | undefined;
  private restarting: Promise<void> | undefined;
  private latestInteractive: { readonly id: RequestId; readonly kind: InteractiveKind } | undefined;
  private disposed = false;
  private disposedReply: (() => void) | undefined;
  private readonly backoff: RestartBackoff;
  /** What the worker's n-gram cache holds, so only changed documents cross the thread. */
  private readonly ngramDocuments = new DocumentChangeTracker();
  private watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WorkerEngineClientOptions) {
    this.backoff = new RestartBackoff(options.restartBackoff ?? DEFAULT_RESTART_BACKOFF);
    this.current = this.start();
  }

  /** Resolves with the engine's description once the model is loaded. */
  async modelInfo(): Promise<EngineModelInfo> {
    return (await this.worker()).loaded;
  }

  async info(): Promise<ModelInfo> {
    const info = await this.modelInfo();
    return { id: info.id, specialTokens: new Set(info.specialTokens), contextTokens: info.contextTokens };
  }

  async countTokens(text: string): Promise<number> {
    const reply = await this.request((requestId) => ({ type: 'countTokens', requestId, text }));
    return reply.type === 'tokenCount' ? reply.count : unexpected(reply);
  }

  async generate(prompt: readonly PromptPart[], options: GenerateOptions, onDelta?: (delta: string) => void): Promise<GenerateResult> {
    const { signal, ...wireOptions } = options;
    if (signal?.aborted) {
      return { text: '', promptTokens: 0, generatedTokens: 0, reusedPromptTokens: 0, stopReason: 'cancelled' };
    }
    const reply = await this.request((requestId) => ({ type: 'generate', requestId, prompt, options: wireOptions }), {
      signal,
      onDelta,
      interactive: 'generate',
    });
    return reply.type === 'generated' ? reply.result : unexpected(reply);
  }

  async prefill(prompt: readonly PromptPart[], signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    // Waited like request() waits, so a generate asked for just before this is in flight by now.
    await this.worker();
    // Warming the cache is worth less than any generation in flight (an inline completion, a command).
    if (this.options.newestWins && this.latestInteractive?.kind === 'generate') return;
    const reply = await this.request((requestId) => ({ type: 'prefill', requestId, prompt }), { signal, interactive: 'prefill' });
    if (reply.type !== 'prefilled') unexpected(reply);
  }

  /** Sends the worker's n-gram cache what changed in the list of open documents since the last call. */
  updateDocuments(documents: readonly CacheDocument[]): void {
    const running = this.current;
    if (this.disposed || !running) return;
    const changes = this.ngramDocuments.changes(documents);
    if (!isEmptyChange(changes)) running.handle.postMessage({ type: 'ngramDocuments', changes });
  }

  /** Releases the model and ends the worker thread; pending requests fail with `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.watchdog);
    const running = this.current;
    this.current = undefined;
    for (const requestId of this.pending.keys()) running?.handle.postMessage({ type: 'cancel', requestId });
    this.failPending(new EngineError('disposed', 'The inference engine was disposed'));
    if (!running) return;
    const released = new Promise<void>((resolve) => {
      this.disposedReply = resolve;
      setTimeout(resolve, this.options.disposeTimeoutMs ?? 2000).unref?.();
    });
    running.handle.postMessage({ type: 'dispose' });
    await released;
    await running.handle.terminate();
  }

  private async request(
    build: (requestId: RequestId) => HostToWorkerMessage,
    extra: { signal?: AbortSignal; onDelta?: (text: string) => void; interactive?: InteractiveKind } = {},
  ): Promise<FinalMessage> {
    const running = await this.worker();
    if (this.disposed) throw new EngineError('disposed', 'The inference engine was disposed');
    const requestId = this.nextRequestId++;
    if (extra.interactive && this.options.newestWins && this.latestInteractive !== undefined) {
      this.cancel(this.latestInteractive.id);
    }
    if (extra.interactive) this.latestInteractive = { id: requestId, kind: extra.interactive };
    const onAbort = (): void => this.cancel(requestId);
    extra.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<FinalMessage>((resolve, reject) => {
        this.pending.set(requestId, {
          settle: (message) => (message.type === 'failed' ? reject(EngineError.fromData(message.error)) : resolve(message)),
          fail: reject,
          // After an abort the caller has moved on: deltas still in flight are dropped.
          onDelta: extra.onDelta && ((delta) => extra.signal?.aborted || extra.onDelta!(delta)),
        });
        running.handle.postMessage(build(requestId));
        this.armWatchdog();
        // Aborted while waiting for the worker: the listener came too late to see it.
        if (extra.signal?.aborted) onAbort();
      });
    } finally {
      extra.signal?.removeEventListener('abort', onAbort);
      this.pending.delete(requestId);
      if (this.latestInteractive?.id === requestId) this.latestInteractive = undefined;
    }
  }

  private cancel(requestId: RequestId): void {
    if (this.pending.has(requestId)) {
      this.current?.handle.postMessage({ type: 'cancel', requestId });
    }
  }

  /** The running worker, waiting out a restart in progress. */
  private async worker(): Promise<RunningWorker> {
    if (this.disposed) throw new EngineError('disposed', 'The inference engine was disposed');
    if (!this.current && this.restarting) await this.restarting;
    if (!this.current) {
      throw new EngineError('worker-crashed', `The inference worker crashed ${this.backoff.consecutiveFailures} times in a row; not restarting it`);
    }
    return this.current;
  }

  private start(): RunningWorker {
    // A new worker starts with an empty n-gram cache: the next update sends every document.
    this.ngramDocuments.reset();
    const handle = (this.options.createWorker ?? ((script) => new Worker(script) as unknown as WorkerHandle))(this.options.workerScript);
    const loadRequestId = this.nextRequestId++;
    const loaded = new Promise<EngineModelInfo>((resolve, reject) => {
      this.pending.set(loadRequestId, {
        settle: (message) => {
          this.pending.delete(loadRequestId);
          if (message.type === 'loaded') {
            this.options.onEvent?.({ kind: 'loaded', info: message.info });
            resolve(message.info);
          } else {
            const error = message.type === 'failed' ? EngineError.fromData(message.error) : new EngineError('internal', `Unexpected reply ${message.type} to load`);
            this.options.onEvent?.({ kind: 'loadFailed', error });
            reject(error);
          }
        },
        fail: (error) => {
          this.pending.delete(loadRequestId);
          reject(error);
        },
      });
    });
    loaded.catch(() => {}); // Surfaced through info() and the requests; never unhandled.
    const running: RunningWorker = { handle, loaded };
    handle.on('message', (message) => this.onMessage(message));
    handle.on('error', (error) => this.onCrash(running, `The inference worker failed: ${error.message}`));
    handle.on('exit', (code) => this.onCrash(running, `The inference worker exited with code ${code}`));
    handle.postMessage({ type: 'load', requestId: loadRequestId, config: this.options.load });
    queueMicrotask(() => this.armWatchdog());
    return running;
  }

  /**
   * (Re)starts the hang countdown while requests are pending: every message from the worker
   * starts it over, and a countdown that runs out restarts the worker like a crash.
   */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    const timeoutMs = this.options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
    const running = this.current;
    if (timeoutMs <= 0 || !running || this.pending.size === 0 || this.disposed) return;
    this.watchdog = setTimeout(() => {
      if (this.pending.size > 0) this.onCrash(running, `The inference worker stopped answering: no progress for ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    this.watchdog.unref?.();
  }

  private onMessage(message: WorkerToHostMessage): void {
    this.armWatchdog();
    switch (message.type) {
      case 'ready':
        break;
      case 'loadProgress':
        this.options.onEvent?.({ kind: 'loadProgress', progress: message.progress });
        break;
      case 'delta':
        this.pending.get(message.requestId)?.onDelta?.(message.text);
        break;
      case 'disposed':
        this.disposedReply?.();
        break;
      case 'tokenCount':
      case 'generated':
      case 'prefilled':
        // The worker did real work since its start: its crashes no longer count as in a row (a
        // worker that loads and then hangs or crashes at every request runs out of restarts).
        this.backoff.reset();
        this.pending.get(message.requestId)?.settle(message);
        break;
      case 'loaded':
      case 'failed':
        this.pending.get(message.requestId)?.settle(message);
        break;
      default:
        assertNever(message);
    }
  }

  private onCrash(running: RunningWorker, reason: string): void {
    if (this.current !== running || this.disposed) return;
    this.current = undefined;
    void running.handle.terminate();
    const restartInMs = this.backoff.nextDelayMs();
    const error = new EngineError('worker-crashed', reason);
    this.failPending(error);
    this.options.onEvent?.({ kind: 'crashed', error, restartInMs });
    if (restartInMs === undefined) return;
    this.restarting = new Promise<void>((resolve) => {
      setTimeout(() => {
        this.restarting = undefined;
        if (!this.disposed) this.current = this.start();
        resolve();
      }, restartInMs);
    });
  }

  private failPending(error: EngineError): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.fail(error);
  }
}

function unexpected(message: FinalMessage): never {
  throw new EngineError('internal', `Unexpected reply from the inference worker: ${message.type}`);
}
