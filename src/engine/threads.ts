/**
 * Default WASM thread count: every core but one, from 1 up to 4.
 *
 * Measured with `npm run bench:engine -- --rounds 4` on the project's 2-core machine while other
 * work ran on it (as an editor, language servers and the extension host do on a user's machine
 * while they type), lgc-small-shaped int8 model, medians over 4 interleaved rounds: 1 thread
 * prefilled 512 tokens in 1080 ms vs 2128 ms with 2, decoded at KV 512 in 19.8 vs 44.3 ms/token,
 * and 1 thread won every round (test/bench/engine/RESULTS.md). A second WASM thread only pays when
 * a core is free for it (the idle-machine probe measured 1.7-1.9x on prefill), so one core is
 * left to the editor. Past 4 threads a model this small gains little.
 */
export const MAX_DEFAULT_THREADS = 4;

export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, Math.floor(cores) - 1));
}

/**
 * `configured` 0 means automatic; a count above the cores is capped to them (issue 17: 64 threads
 * on this machine took 5.4 s instead of 0.46 s a request and 1.06 GB instead of 368 MB).
 */
export function resolveThreadCount(configured: number, cores: number): number {
  return configured > 0 ? Math.min(Math.floor(configured), Math.max(1, Math.floor(cores))) : defaultThreadCount(cores);
}
