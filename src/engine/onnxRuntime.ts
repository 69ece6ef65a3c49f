/**
 * onnxruntime-web, loaded on first use with require(), so that:
 *  - esbuild bundles its CommonJS Node build (`ort.node.min.js`); the ESM build reads
 *    `import.meta.url`, which CommonJS bundles lack;
 *  - merely importing the engine registers no ONNX backends. onnxruntime-web registers itself as
 *    the "cpu" backend in the onnxruntime-common it shares with onnxruntime-node, and whichever
 *    registers "cpu" first keeps it, so a process that also runs onnxruntime-node (benchmarks,
 *    reference tests) must let that load first.
 */
import type * as OnnxRuntimeWeb from 'onnxruntime-web';

let loaded: typeof OnnxRuntimeWeb | undefined;

export function onnxRuntimeWeb(): typeof OnnxRuntimeWeb {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('onnxruntime-web') as typeof OnnxRuntimeWeb;
  return loaded;
}

export type { InferenceSession, Tensor } from 'onnxruntime-web';
