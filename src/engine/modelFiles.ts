/**
 * Where a model folder's files come from. The desktop reads them from disk (`nodeModelFiles.ts`);
 * a browser build can implement the same interface over fetch or the VS Code file system.
 * Paths are relative to the model folder, with forward slashes (`onnx/model.onnx`).
 */
export interface ModelFileSource {
  /** Short id of the model (the folder name). */
  readonly modelId: string;
  /** The full location of a file, as shown in error messages. */
  describe(relativePath: string): string;
  /** Size in bytes, or undefined when the file does not exist. */
  size(relativePath: string): Promise<number | undefined>;
  readText(relativePath: string): Promise<string>;
  /** Reads a whole binary file, reporting bytes read so far. */
  readBytes(relativePath: string, onProgress?: (loadedBytes: number) => void): Promise<Uint8Array>;
}
