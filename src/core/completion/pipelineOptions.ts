import type { Settings } from '../settings';
import type { PipelineOptions } from './types';

/** The pipeline's options from the extension's settings (the CLI uses the same defaults). */
export function optionsFromSettings(settings: Settings): PipelineOptions {
  return {
    contextTokens: settings.context.maxTokens,
    fewShot: settings.fewShot.enable,
    fewShotTokens: settings.fewShot.maxTokens,
    maxLines: settings.inlineCompletions.maxLines,
    maxNewTokens: settings.inlineCompletions.maxTokens,
    temperature: settings.inlineCompletions.temperature,
    useNgramCache: settings.cache.enable,
  };
}
