import * as path from 'node:path';
import { optionsFromSettings } from '../../../src/core/completion/pipelineOptions';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { InProcessEngine } from '../../../src/engine/inProcessEngine';
import { NodeModelFiles } from '../../../src/engine/nodeModelFiles';
import { DEFAULT_NGRAM_BLEND } from '../../../src/engine/ngram/ngramBlendProcessor';
import type { BenchTarget } from '../completion/corpus';
import { configName } from '../completion/configNames';
import type { Sample } from '../completion/metrics';
import { ConfigReplay } from '../completion/replay';

/**
 * bench:completion's replay of the same targets with the extension's defaults (few-shot on, the
 * n-gram blend, the default budgets): every keystroke's request, waited for in turn, in this
 * process. Returns its samples keyed by target, line and characters typed, so each bench:ui pause
 * finds the request it made.
 */
export type SampleKey = `${number}:${number}:${number}`;

export function sampleKey(target: number, lineStart: number, typed: number): SampleKey {
  return `${target}:${lineStart}:${typed}`;
}

export async function replayInProcess(
  root: string,
  targets: readonly BenchTarget[],
  keystrokes: number,
  threads: number,
): Promise<{ samples: Map<SampleKey, Sample>; config: string }> {
  const wasmDir = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');
  const engine = await InProcessEngine.load(new NodeModelFiles(path.join(root, 'models', 'lgc-small')), { threads, wasmDir, warmUp: true });
  try {
    const config = { name: configName(true, 'blend (linear)'), fewShot: true, ngramCache: true, ngramMixing: DEFAULT_NGRAM_BLEND.mixing, fimOrder: 'spm' as const };
    engine.engine.configureNgramBlend({ ...DEFAULT_NGRAM_BLEND });
    const options = optionsFromSettings(DEFAULT_SETTINGS);
    // Untimed first pass over the first file, as bench:completion does (V8's baseline WASM tier).
    await new ConfigReplay(engine, config, options, keystrokes).replay(targets[0]);
    const replay = new ConfigReplay(engine, config, options, keystrokes);
    const samples = new Map<SampleKey, Sample>();
    for (const [index, target] of targets.entries()) {
      const from = replay.samples.length;
      await replay.replay(target);
      // The replay's order: positions in turn, typed = typedAtStart .. its last keystroke.
      let next = from;
      for (const position of target.positions) {
        const last = Math.min(position.line.length - 1, position.typedAtStart + keystrokes - 1);
        for (let typed = position.typedAtStart; typed <= last; typed++) {
          samples.set(sampleKey(index, position.lineStart, typed), replay.samples[next++]);
        }
      }
    }
    return { samples, config: config.name };
  } finally {
    await engine.dispose();
  }
}
