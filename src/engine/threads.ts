/**
 * Default WASM thread count. Measured on the project's 2-core machine with `npm run bench:engine`
 * (see test/bench/README.md): 2 threads beat 1 on prefill and decode, so every core is used, up
 * to a cap past which a model this small gains nothing while taking cores from the editor.
 */
export const MAX_DEFAULT_THREADS = 4;

export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, Math.floor(cores)));
}

/** `configured` 0 means automatic. */
export function resolveThreadCount(configured: number, cores: number): number {
  return configured > 0 ? Math.floor(configured) : defaultThreadCount(cores);
}
