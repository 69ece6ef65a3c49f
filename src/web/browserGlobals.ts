/**
 * The few browser globals the web build uses, typed here because the project's tsconfig has no
 * DOM lib (the rest of the code runs in Node). Only what this code calls is declared.
 */

/** A dedicated Worker, as both the extension host and the inference worker see it. */
export interface BrowserWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string }) => void): void;
  terminate(): void;
}

export interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  /** Where newer browsers report a software adapter (SwiftShader). */
  readonly isFallbackAdapter?: boolean;
}

export interface GpuAdapter {
  readonly info?: GpuAdapterInfo;
  /** Where older browsers report a software adapter. */
  readonly isFallbackAdapter?: boolean;
}

/** `navigator.gpu`: present where the browser exposes WebGPU, even when no adapter exists. */
export interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>;
}

export interface BrowserGlobals {
  readonly Worker?: new (url: string, options?: { name?: string }) => BrowserWorker;
  readonly navigator?: { readonly gpu?: Gpu; readonly hardwareConcurrency?: number };
  readonly crossOriginIsolated?: boolean;
}

export const browserGlobals = globalThis as unknown as BrowserGlobals;
