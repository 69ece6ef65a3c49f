import { EngineError } from '../../engine/errors';
import type { ModelFileSource } from '../../engine/modelFiles';

/**
 * A model folder whose files the extension host already read (from the extension's own URI) and
 * sent with the load request: the browser worker reads nothing itself.
 */
export class MemoryModelFiles implements ModelFileSource {
  readonly modelId: string;

  constructor(
    /** The folder's URI, for messages. */
    private readonly folder: string,
    private readonly files: Readonly<Record<string, Uint8Array>>,
  ) {
    this.modelId = folder.replace(/\/+$/, '').split('/').pop() ?? folder;
  }

  describe(relativePath: string): string {
    return `${this.folder.replace(/\/+$/, '')}/${relativePath}`;
  }

  async size(relativePath: string): Promise<number | undefined> {
    return this.files[relativePath]?.byteLength;
  }

  async readText(relativePath: string): Promise<string> {
    return new TextDecoder().decode(this.bytes(relativePath));
  }

  async readBytes(relativePath: string, onProgress?: (loadedBytes: number) => void): Promise<Uint8Array> {
    const bytes = this.bytes(relativePath);
    onProgress?.(bytes.byteLength);
    return bytes;
  }

  private bytes(relativePath: string): Uint8Array {
    const bytes = this.files[relativePath];
    if (!bytes) {
      const file = this.describe(relativePath);
      throw new EngineError('missing-file', `Model file not found: ${file}`, file);
    }
    return bytes;
  }
}
