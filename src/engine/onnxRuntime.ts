/**
 * onnxruntime-web, loaded with require() so that esbuild bundles its CommonJS Node build
 * (`ort.node.min.js`). Its ESM build reads `import.meta.url`, which is empty in the CommonJS
 * bundles the extension ships, and then fails at startup.
 */
import type * as OnnxRuntimeWeb from 'onnxruntime-web';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ort: typeof OnnxRuntimeWeb = require('onnxruntime-web');
export type { InferenceSession, Tensor } from 'onnxruntime-web';
