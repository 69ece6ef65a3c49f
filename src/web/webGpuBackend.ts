/**
 * Which onnxruntime-web execution providers the browser build uses: WebGPU when `navigator.gpu`
 * yields an adapter, WASM otherwise. With 'auto', WASM stays in the list after WebGPU, so a device
 * that fails while the session is created still leaves a working engine. The extension host asks
 * first, to start the worker build that fits; the worker asks again and reports the outcome.
 */
import type { ExecutionProvider } from '../engine/decoderSession';
import { EngineError } from '../engine/errors';
import type { BackendSetting } from '../protocol/messages';
import type { Gpu, GpuAdapter } from './browserGlobals';

export interface BackendChoice {
  readonly providers: readonly ExecutionProvider[];
  /** What WebGPU runs on, or why it is not used; shown in the status bar's tooltip. */
  readonly detail?: string;
}

export async function chooseExecutionProviders(backend: BackendSetting, gpu: Gpu | undefined): Promise<BackendChoice> {
  if (backend === 'wasm') {
    return { providers: ['wasm'] };
  }
  const adapter = await findAdapter(gpu);
  if (adapter.kind === 'none') {
    if (backend === 'webgpu') {
      throw new EngineError('internal', `localGpt.engine.backend is "webgpu", but ${adapter.reason}; set it to "auto" or "wasm"`);
    }
    return { providers: ['wasm'], detail: `WASM: ${adapter.reason}` };
  }
  return {
    providers: backend === 'auto' ? ['webgpu', 'wasm'] : ['webgpu'],
    detail: `WebGPU adapter: ${describeAdapter(adapter.adapter)}`,
  };
}

type AdapterLookup = { readonly kind: 'found'; readonly adapter: GpuAdapter } | { readonly kind: 'none'; readonly reason: string };

async function findAdapter(gpu: Gpu | undefined): Promise<AdapterLookup> {
  if (!gpu) {
    return { kind: 'none', reason: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  }
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? { kind: 'found', adapter } : { kind: 'none', reason: 'navigator.gpu has no adapter (GPU blocked or absent)' };
  } catch (error) {
    return { kind: 'none', reason: `navigator.gpu.requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function describeAdapter(adapter: GpuAdapter): string {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.device, info.description].filter((part) => part && part.length > 0).join(' ');
  const software = adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false;
  return `${name.length > 0 ? name : 'unnamed'}${software ? ' (software fallback adapter)' : ''}`;
}
