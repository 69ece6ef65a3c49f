import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from './errors';
import type { ModelFileSource } from './modelFiles';

const READ_CHUNK_BYTES = 8 * 1024 * 1024;

/** Reads a model folder from the local disk. */
export class NodeModelFiles implements ModelFileSource {
  readonly modelId: string;

  constructor(readonly folder: string) {
    this.modelId = path.basename(path.resolve(folder));
  }

  describe(relativePath: string): string {
    return path.join(this.folder, relativePath);
  }

  async size(relativePath: string): Promise<number | undefined> {
    try {
      const stat = await fs.promises.stat(this.describe(relativePath));
      return stat.isFile() ? stat.size : undefined;
    } catch {
      return undefined;
    }
  }

  async readText(relativePath: string): Promise<string> {
    try {
      return await fs.promises.readFile(this.describe(relativePath), 'utf8');
    } catch (error) {
      throw this.readError(relativePath, error);
    }
  }

  async readBytes(relativePath: string, onProgress?: (loadedBytes: number) => void): Promise<Uint8Array> {
    const file = this.describe(relativePath);
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(file, 'r');
      const { size } = await handle.stat();
      const bytes = new Uint8Array(size);
      let loaded = 0;
      while (loaded < size) {
        const { bytesRead } = await handle.read(bytes, loaded, Math.min(READ_CHUNK_BYTES, size - loaded), loaded);
        if (bytesRead === 0) {
          throw new Error(`file ended after ${loaded} of ${size} bytes`);
        }
        loaded += bytesRead;
        onProgress?.(loaded);
      }
      return bytes;
    } catch (error) {
      throw this.readError(relativePath, error);
    } finally {
      await handle?.close();
    }
  }

  private readError(relativePath: string, error: unknown): EngineError {
    const file = this.describe(relativePath);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return new EngineError('missing-file', `Model file not found: ${file}`, file);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new EngineError('corrupt-file', `Cannot read model file ${file}: ${reason}`, file);
  }
}
