/**
 * The model folder as the browser worker receives it: the files the engine reads, fetched by the
 * extension host from the extension's own URI. The folder is checked with the engine's own reader
 * first, so a broken folder is reported before a worker starts.
 */
import { EngineError } from '../../engine/errors';
import type { ModelFileSource } from '../../engine/modelFiles';
import { readModelFolder, type ModelDtype } from '../../engine/modelFolder';

/** Reads a file of the model folder by relative path; undefined when it does not exist. */
export type ReadModelFile = (relativePath: string) => Promise<Uint8Array | undefined>;

/** The bundled default model, inside the extension (the same folder as the desktop's BUNDLED_MODEL_DIR). */
export const BUNDLED_MODEL_SEGMENTS: readonly string[] = ['models', 'lgc-small'];

/**
 * The folder segments, inside the extension, of the model to load. In the browser there is no
 * disk to read another model from, so `localGpt.model.path` may only name a folder inside the
 * extension (`models/lgc-fixture`); anything else is refused rather than fetched.
 */
export function modelFolderSegments(configuredPath: string): { readonly segments: readonly string[] } | { readonly problem: string } {
  const trimmed = configuredPath.trim();
  if (trimmed.length === 0) {
    return { segments: BUNDLED_MODEL_SEGMENTS };
  }
  const segments = trimmed.split(/[\\/]+/).filter((segment) => segment.length > 0 && segment !== '.');
  const outside = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || /^[\\/]/.test(trimmed) || segments.includes('..') || segments.length === 0;
  if (outside) {
    return {
      problem: `In the browser the model can only be loaded from inside the extension, and localGpt.model.path is "${configuredPath}".`,
    };
  }
  return { segments };
}

/** A ModelFileSource over ReadModelFile that keeps what it read, to hand it to the worker. */
class RecordingModelFiles implements ModelFileSource {
  readonly read = new Map<string, Uint8Array>();
  private readonly missing = new Set<string>();

  constructor(
    readonly modelId: string,
    private readonly folder: string,
    private readonly readFile: ReadModelFile,
  ) {}

  describe(relativePath: string): string {
    return `${this.folder}/${relativePath}`;
  }

  async size(relativePath: string): Promise<number | undefined> {
    return (await this.bytes(relativePath))?.byteLength;
  }

  async readText(relativePath: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(relativePath));
  }

  async readBytes(relativePath: string, onProgress?: (loadedBytes: number) => void): Promise<Uint8Array> {
    const bytes = await this.bytes(relativePath);
    if (!bytes) {
      const file = this.describe(relativePath);
      throw new EngineError('missing-file', `Model file not found: ${file}`, file);
    }
    onProgress?.(bytes.byteLength);
    return bytes;
  }

  private async bytes(relativePath: string): Promise<Uint8Array | undefined> {
    if (this.missing.has(relativePath)) return undefined;
    const cached = this.read.get(relativePath);
    if (cached) return cached;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.readFile(relativePath);
    } catch (error) {
      const file = this.describe(relativePath);
      throw new EngineError('corrupt-file', `Cannot read model file ${file}: ${error instanceof Error ? error.message : String(error)}`, file);
    }
    if (bytes) this.read.set(relativePath, bytes);
    else this.missing.add(relativePath);
    return bytes;
  }
}

export interface ModelSnapshot {
  /** Files by path relative to the folder: exactly those the engine will read. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly weightBytes: number;
}

export async function readModelSnapshot(folder: string, readFile: ReadModelFile, dtype: ModelDtype = 'auto'): Promise<ModelSnapshot> {
  const modelId = folder.replace(/\/+$/, '').split('/').pop() ?? folder;
  const source = new RecordingModelFiles(modelId, folder.replace(/\/+$/, ''), readFile);
  const model = await readModelFolder(source, { dtype });
  await source.readBytes(model.onnxFile);
  if (model.onnxDataFile) await source.readBytes(model.onnxDataFile);
  return { files: Object.fromEntries(source.read), weightBytes: model.weightBytes };
}
