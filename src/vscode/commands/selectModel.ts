import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../core/settings';
import { readModelFolder } from '../../engine/modelFolder';
import { NodeModelFiles } from '../../engine/nodeModelFiles';

export interface SelectModelResult {
  readonly modelPath: string;
  /** The ONNX file the engine will load, relative to the folder. */
  readonly onnxFile: string;
}

const EXPECTED_LAYOUT = 'A model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx (or onnx/model.onnx).';

/**
 * "Select Model": a folder picker (or the folder as an argument), the folder checked with the
 * engine's own reader before anything changes, then `localGpt.model.path` set in the user
 * settings. The setting is machine-scoped, so a workspace cannot redirect it; the model service
 * restarts the worker on the change. Undefined when the picker was dismissed.
 */
export async function selectModel(folder?: vscode.Uri | string): Promise<SelectModelResult | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error('In VS Code for the Web the model is the one bundled with the extension: another model folder needs VS Code desktop (or a remote with a Node extension host).');
  }
  const uri = typeof folder === 'string' ? vscode.Uri.file(folder) : (folder ?? (await pickFolder()));
  if (!uri) {
    return undefined;
  }
  if (uri.scheme !== 'file') {
    throw new Error(`Choose a folder on this machine: the model is read from the local disk, and ${uri.toString()} is not.`);
  }
  const modelPath = uri.fsPath;
  let onnxFile: string;
  try {
    onnxFile = (await readModelFolder(new NodeModelFiles(modelPath))).onnxFile;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${modelPath} is not a usable model folder, so the model was not changed. ${reason}. ${EXPECTED_LAYOUT}`);
  }
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('model.path', modelPath, vscode.ConfigurationTarget.Global);
  void vscode.window.setStatusBarMessage(`Local GPT: loading the model in ${modelPath}`, 5000);
  return { modelPath, onnxFile };
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Model',
    title: 'Local GPT: choose a model folder (config.json, tokenizer.json, onnx/)',
  });
  return picked?.[0];
}
