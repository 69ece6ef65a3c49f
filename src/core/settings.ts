/**
 * The extension's settings as plain data, with their defaults and validation.
 * vscode-free so that the CLI, the worker and plain-Node unit tests share it; the defaults here
 * must equal the `contributes.configuration` defaults in package.json (a unit test checks).
 */

export type EngineBackend = 'auto' | 'wasm' | 'webgpu';

export interface Settings {
  inlineCompletions: {
    enable: boolean;
    /** language id -> enabled; "*" is the fallback for unlisted languages. */
    languages: Record<string, boolean>;
    debounceMs: number;
    maxLines: number;
    maxTokens: number;
    temperature: number;
  };
  context: { maxTokens: number };
  fewShot: { enable: boolean; maxTokens: number };
  cache: { enable: boolean };
  model: { path: string };
  /** idleUnloadMinutes: the worker and its model are ended after this long without a request; 0 never. */
  engine: { threads: number; backend: EngineBackend; idleUnloadMinutes: number };
  prompt: { maxTokens: number };
}

export const SETTINGS_SECTION = 'localGpt';

export const DEFAULT_SETTINGS: Settings = {
  inlineCompletions: {
    enable: true,
    languages: { '*': true, plaintext: false, markdown: false },
    debounceMs: 75,
    maxLines: 8,
    maxTokens: 64,
    temperature: 0,
  },
  context: { maxTokens: 768 },
  fewShot: { enable: true, maxTokens: 256 },
  cache: { enable: true },
  model: { path: '' },
  engine: { threads: 0, backend: 'auto', idleUnloadMinutes: 15 },
  prompt: { maxTokens: 256 },
};

/** Reads one setting by its dotted key below `localGpt`, e.g. "inlineCompletions.maxLines". */
export type SettingReader = (key: string) => unknown;

/** Every setting key below `localGpt`, in dotted form, derived from DEFAULT_SETTINGS. */
export function settingKeys(): string[] {
  const keys: string[] = [];
  for (const [group, values] of Object.entries(DEFAULT_SETTINGS)) {
    for (const name of Object.keys(values)) {
      keys.push(`${group}.${name}`);
    }
  }
  return keys;
}

export function defaultFor(key: string): unknown {
  const [group, name] = key.split('.');
  const values = (DEFAULT_SETTINGS as unknown as Record<string, Record<string, unknown>>)[group];
  if (!values || !(name in values)) {
    throw new Error(`Unknown setting "${SETTINGS_SECTION}.${key}"`);
  }
  return values[name];
}

function integerIn(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}

function numberIn(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, value));
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function languageMap(value: unknown, fallback: Record<string, boolean>): Record<string, boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...fallback };
  }
  const result: Record<string, boolean> = {};
  for (const [language, enabled] of Object.entries(value)) {
    if (typeof enabled === 'boolean') {
      result[language] = enabled;
    }
  }
  return result;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function backendOr(value: unknown, fallback: EngineBackend): EngineBackend {
  return value === 'auto' || value === 'wasm' || value === 'webgpu' ? value : fallback;
}

/**
 * Builds validated settings from raw values. Hand-edited settings.json can hold anything, so
 * wrong types fall back to the default and numbers are clamped to the ranges package.json declares.
 */
export function readSettings(read: SettingReader): Settings {
  const d = DEFAULT_SETTINGS;
  return {
    inlineCompletions: {
      enable: booleanOr(read('inlineCompletions.enable'), d.inlineCompletions.enable),
      languages: languageMap(read('inlineCompletions.languages'), d.inlineCompletions.languages),
      debounceMs: integerIn(read('inlineCompletions.debounceMs'), 0, 2000, d.inlineCompletions.debounceMs),
      maxLines: integerIn(read('inlineCompletions.maxLines'), 1, 100, d.inlineCompletions.maxLines),
      maxTokens: integerIn(read('inlineCompletions.maxTokens'), 1, 1024, d.inlineCompletions.maxTokens),
      temperature: numberIn(read('inlineCompletions.temperature'), 0, 2, d.inlineCompletions.temperature),
    },
    context: { maxTokens: integerIn(read('context.maxTokens'), 16, 8192, d.context.maxTokens) },
    fewShot: {
      enable: booleanOr(read('fewShot.enable'), d.fewShot.enable),
      maxTokens: integerIn(read('fewShot.maxTokens'), 1, 4096, d.fewShot.maxTokens),
    },
    cache: { enable: booleanOr(read('cache.enable'), d.cache.enable) },
    model: { path: stringOr(read('model.path'), d.model.path).trim() },
    engine: {
      threads: integerIn(read('engine.threads'), 0, 64, d.engine.threads),
      backend: backendOr(read('engine.backend'), d.engine.backend),
      idleUnloadMinutes: numberIn(read('engine.idleUnloadMinutes'), 0, 1440, d.engine.idleUnloadMinutes),
    },
    prompt: { maxTokens: integerIn(read('prompt.maxTokens'), 1, 4096, d.prompt.maxTokens) },
  };
}

/** Whether inline completions are on for a language: its own entry wins, then "*", then on. */
export function inlineEnabledFor(settings: Settings, languageId: string): boolean {
  if (!settings.inlineCompletions.enable) {
    return false;
  }
  const languages = settings.inlineCompletions.languages;
  if (languageId in languages) {
    return languages[languageId];
  }
  return languages['*'] ?? true;
}

