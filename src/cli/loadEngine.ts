import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InProcessEngine } from '../engine/inProcessEngine';
import { NodeModelFiles } from '../engine/nodeModelFiles';
import { resolveThreadCount } from '../engine/threads';
import { DEFAULT_MODEL_DIR } from './args';

/**
 * The CLI's engine: the real inference engine, in this process. dist/cli.js sits next to the
 * onnxruntime-web runtime files in dist/, and the package root (with models/) is one level up.
 */

export function defaultModelDir(bundleDir: string): string {
  return path.join(path.dirname(bundleDir), DEFAULT_MODEL_DIR);
}

export async function loadEngine(modelDir: string, threads: number, bundleDir: string): Promise<InProcessEngine> {
  if (!fs.existsSync(path.join(modelDir, 'config.json'))) {
    throw new Error(`No model in ${path.resolve(modelDir)} (config.json is missing); pass --model DIR with a model folder.`);
  }
  const cores = os.availableParallelism();
  const resolved = resolveThreadCount(threads, cores);
  if (resolved < threads) {
    console.error(`local-gpt: --threads ${threads} is more than the ${cores} cores here; using ${resolved}.`);
  }
  return InProcessEngine.load(new NodeModelFiles(modelDir), {
    threads: resolved,
    wasmDir: bundleDir,
    warmUp: true,
  });
}
