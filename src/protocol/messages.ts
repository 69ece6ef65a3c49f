/**
 * The one message protocol between the extension host (src/client) and the inference worker
 * (src/worker). Both sides import these types; every message is declared once, marked with the
 * direction it travels, and handled by exhaustive switches (see `assertNever`).
 *
 * Requests carry a `requestId` chosen by the host; every reply and event names the request it
 * belongs to. A request ends with exactly one final message: its result or `failed`.
 */
import type { GenerateOptions, GenerateResult, PromptPart } from '../core/engine';
import type { EngineErrorData } from '../engine/errors';
import type { ModelDtype } from '../engine/modelFolder';
import type { NgramDocumentChanges } from '../engine/ngram/documentChanges';
import type { EngineModelInfo, LoadProgress, PrefillResult } from '../engine/textGenerationEngine';

export type RequestId = number;

/** `localGpt.engine.backend`: WebGPU when the worker has an adapter ('auto'), or one of them. */
export type BackendSetting = 'auto' | 'wasm' | 'webgpu';

/** Everything the worker needs to load a model. Plain data. */
export interface LoadConfig {
  /** Absolute path of the model folder (transformers.js layout); in the browser, its URI. */
  readonly modelDir: string;
  /** Folder holding ort-wasm-simd-threaded.{mjs,wasm}: the extension's dist/ (desktop). */
  readonly wasmDir?: string;
  /**
   * Browser worker only, which reads no files itself: the runtime's .wasm file and the model
   * folder's files by relative path, read by the extension host from the extension's own URI.
   */
  readonly wasmBinary?: Uint8Array;
  readonly modelFiles?: Readonly<Record<string, Uint8Array>>;
  /** Default 'wasm'; workers without WebGPU (Node) always use WASM. */
  readonly backend?: BackendSetting;
  /** WASM threads; 0 picks the measured default for the machine. */
  readonly threads: number;
  readonly dtype?: ModelDtype;
  readonly maxModelBytes?: number;
  readonly maxCachedTokens?: number;
  readonly warmUp?: boolean;
}

/** Generation options as they cross the thread boundary (no AbortSignal: cancel is a message). */
export type WireGenerateOptions = Omit<GenerateOptions, 'signal'>;

// ---------------------------------------------------------------- host -> worker

/** host -> worker: load (or replace) the model; answered by `loadProgress`* then `loaded`. */
export interface LoadRequest {
  readonly type: 'load';
  readonly requestId: RequestId;
  readonly config: LoadConfig;
}

/** host -> worker: count the tokens of plain text; answered by `tokenCount`. */
export interface CountTokensRequest {
  readonly type: 'countTokens';
  readonly requestId: RequestId;
  readonly text: string;
}

/** host -> worker: generate; answered by `delta`* then `generated`. */
export interface GenerateRequest {
  readonly type: 'generate';
  readonly requestId: RequestId;
  readonly prompt: readonly PromptPart[];
  readonly options: WireGenerateOptions;
}

/** host -> worker: warm the KV cache with a prompt, generating nothing; answered by `prefilled`. */
export interface PrefillRequest {
  readonly type: 'prefill';
  readonly requestId: RequestId;
  readonly prompt: readonly PromptPart[];
}

/** host -> worker: stop a request; it ends within one decode step with its normal final message. */
export interface CancelRequest {
  readonly type: 'cancel';
  readonly requestId: RequestId;
}

/**
 * host -> worker: documents to add to, replace in or drop from the n-gram cache of open files
 *, only those changed since the previous message. Not a request: no reply. Messages
 * arrive in order, so the generate sent next already decodes with them.
 */
export interface NgramDocumentsMessage {
  readonly type: 'ngramDocuments';
  readonly changes: NgramDocumentChanges;
}

/** host -> worker: release the session; answered by `disposed`, after which the thread may end. */
export interface DisposeRequest {
  readonly type: 'dispose';
}

export type HostToWorkerMessage =
  | LoadRequest
  | CountTokensRequest
  | GenerateRequest
  | PrefillRequest
  | CancelRequest
  | NgramDocumentsMessage
  | DisposeRequest;

// ---------------------------------------------------------------- worker -> host

/** worker -> host: the thread started and listens (no model loaded yet). */
export interface WorkerReadyEvent {
  readonly type: 'ready';
}

/** worker -> host: progress of a `load`. */
export interface LoadProgressEvent {
  readonly type: 'loadProgress';
  readonly requestId: RequestId;
  readonly progress: LoadProgress;
}

/** worker -> host: the model of a `load` is ready. */
export interface LoadedReply {
  readonly type: 'loaded';
  readonly requestId: RequestId;
  readonly info: EngineModelInfo;
}

/** worker -> host: answer to `countTokens`. */
export interface TokenCountReply {
  readonly type: 'tokenCount';
  readonly requestId: RequestId;
  readonly count: number;
}

/** worker -> host: text decoded by a `generate` since the previous delta. */
export interface DeltaEvent {
  readonly type: 'delta';
  readonly requestId: RequestId;
  readonly text: string;
}

/** worker -> host: a `generate` ended (including by cancel: stopReason 'cancelled'). */
export interface GeneratedReply {
  readonly type: 'generated';
  readonly requestId: RequestId;
  readonly result: GenerateResult;
}

/** worker -> host: a `prefill` ended (also when cancelled). */
export interface PrefilledReply {
  readonly type: 'prefilled';
  readonly requestId: RequestId;
  readonly result: PrefillResult;
}

/** worker -> host: a request failed with a typed engine error. */
export interface FailedReply {
  readonly type: 'failed';
  readonly requestId: RequestId;
  readonly error: EngineErrorData;
}

/** worker -> host: the session was released in answer to `dispose`. */
export interface DisposedEvent {
  readonly type: 'disposed';
}

export type WorkerToHostMessage =
  | WorkerReadyEvent
  | LoadProgressEvent
  | LoadedReply
  | TokenCountReply
  | DeltaEvent
  | GeneratedReply
  | PrefilledReply
  | FailedReply
  | DisposedEvent;

/** Compile-time exhaustiveness check for switches over message types. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
