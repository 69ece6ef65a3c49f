/**
 * Typed engine errors. Every failure the engine can report has a code the host can switch on and,
 * where a file is to blame, the path of that file, so the user sees which file to fix.
 * Errors cross the worker boundary as plain data (see `EngineErrorData`) and are rebuilt there.
 */

export type EngineErrorCode =
  /** A file the model folder needs is not there. */
  | 'missing-file'
  /** A file is there but cannot be read or parsed (bad JSON, truncated ONNX, ...). */
  | 'corrupt-file'
  /** The ONNX graph has inputs, outputs or shapes this engine cannot drive. */
  | 'unsupported-graph'
  /** The tokenizer lacks a token the engine needs (EOS, a FIM token that was asked for, ...). */
  | 'tokenizer'
  /** The model's weights exceed the memory the engine was configured to use. */
  | 'model-too-large'
  /** The prompt plus the tokens to generate do not fit the model's context. */
  | 'prompt-too-long'
  /** Invalid options (negative token counts, top-p outside (0, 1], ...). */
  | 'invalid-request'
  /** A request arrived before a model was loaded. */
  | 'not-loaded'
  /** The worker thread died; it is restarted, and the request can be retried. */
  | 'worker-crashed'
  /** The engine was disposed while the request was pending. */
  | 'disposed'
  /** Anything else the runtime threw. */
  | 'internal';

export interface EngineErrorData {
  readonly code: EngineErrorCode;
  readonly message: string;
  readonly file?: string;
}

export class EngineError extends Error implements EngineErrorData {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file && !message.includes(file) ? `${message} (${file})` : message);
  }

  toData(): EngineErrorData {
    return this.file === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, file: this.file };
  }

  static fromData(data: EngineErrorData): EngineError {
    return new EngineError(data.code, data.message, data.file);
  }

  /** Wraps anything thrown into an EngineError, keeping EngineErrors as they are. */
  static wrap(error: unknown, code: EngineErrorCode = 'internal', file?: string): EngineError {
    if (error instanceof EngineError) {
      return error;
    }
    const message = error instanceof Error ? error.message : String(error);
    return new EngineError(code, message, file);
  }
}

export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}
