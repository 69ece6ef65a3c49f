/** Helpers for the inline completion tests that run a real model (not a test file itself). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerEngineClient } from '../../src/client/workerEngineClient';
import { CompletionPipeline } from '../../src/core/completion/completionPipeline';
import { optionsFromSettings } from '../../src/core/completion/pipelineOptions';
import type { LocalGptApi } from '../../src/extension';
import { completionRequestFor, type RecentEdits } from '../../src/vscode/documentContext';
import type { InlineAnswer } from '../../src/vscode/inlineProvider';
import type { ModelState } from '../../src/vscode/workerModelService';
import { currentSettings } from '../../src/vscode/config';
import { nextEvent, ourExtension } from './extension';

/**
 * A view of a model folder that offers only its fp32 weights (symbolic links to every other
 * file), or the folder itself when it has none. An int8 model rounds activations to levels at run
 * time, which can turn fp32 rounding differences between a warm and a cold cache into a different
 * token (per-tensor scales: often; per-token: rarely, models/train/cache_history.cjs); fp32
 * decodes the same either way, which lets a test compare the extension (warm cache) with a fresh
 * pipeline (cold).
 */
export function fp32View(dir: string): string {
  const onnx = path.join(dir, 'onnx');
  if (!fs.existsSync(path.join(onnx, 'model.onnx'))) {
    return dir;
  }
  const view = fs.mkdtempSync(path.join(os.tmpdir(), `${path.basename(dir)}-fp32-`));
  for (const entry of fs.readdirSync(dir)) {
    if (entry !== 'onnx') {
      fs.symlinkSync(path.join(dir, entry), path.join(view, entry));
    }
  }
  fs.mkdirSync(path.join(view, 'onnx'));
  for (const entry of fs.readdirSync(onnx).filter((file) => !file.includes('quantized'))) {
    fs.symlinkSync(path.join(onnx, entry), path.join(view, 'onnx', entry));
  }
  return view;
}

/** A model folder of the repository, or undefined (with why) when it is not there. */
export function repoModel(name: 'lgc-fixture' | 'lgc-small'): { dir: string } | { missing: string } {
  const dir = path.join(ourExtension().extensionPath, 'models', name);
  return fs.existsSync(path.join(dir, 'config.json'))
    ? { dir }
    : { missing: `models/${name} is not in this checkout (no config.json): the model pipeline has not produced it yet` };
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('localGpt');
}

/**
 * Points the extension at a model folder through its real setting, `localGpt.model.path`
 * (machine scope: in code-server a user-level update lands in the server's machine settings),
 * and waits until that model is loaded. Rejects with the extension's own error when it fails.
 */
export async function useModel(api: LocalGptApi, dir: string, timeoutMs = 120_000): Promise<void> {
  const isOurs = (state: ModelState) => (state.kind === 'ready' || state.kind === 'error') && state.modelDir === dir;
  const settled = new Promise<ModelState>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`The model in ${dir} did not load within ${timeoutMs} ms (state: ${JSON.stringify(api.models.state)}).`));
    }, timeoutMs);
    const listener = api.models.onDidChangeState((state) => {
      if (isOurs(state)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(state);
      }
    });
  });
  if (config().get('model.path') !== dir) {
    await config().update('model.path', dir, vscode.ConfigurationTarget.Global);
  } else if (!isOurs(api.models.state)) {
    void api.models.restart();
  }
  const state = isOurs(api.models.state) ? api.models.state : await settled;
  if (state.kind === 'error') {
    throw new Error(`${state.message} ${state.action}`);
  }
}

/** Sets user-level settings for a test; the returned function puts the previous values back. */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const previous = Object.keys(values).map((key) => [key, config().inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    for (const [key, value] of previous) {
      await config().update(key, value, vscode.ConfigurationTarget.Global);
    }
  };
}

/** Writes a file into the test workspace (a scratch copy) and opens it in an editor. */
export async function openWorkspaceFile(relativePath: string, content: string | Buffer): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('The integration tests need the demo workspace folder open.');
  }
  const file = path.join(folder.uri.fsPath, relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

/**
 * Records the provider's answers from its creation on, so a test can wait for "the editor now
 * holds this suggestion" whether the answer came before the wait (VS Code does not ask again
 * for a position it already has an answer for) or after it.
 */
export class AnswerLog implements vscode.Disposable {
  private readonly answers: InlineAnswer[] = [];
  private readonly listener: vscode.Disposable;

  constructor(private readonly api: LocalGptApi) {
    this.listener = api.inlineProvider.onDidAnswer((answer) => this.answers.push(answer));
  }

  /** The texts answered for a document, oldest first. */
  textsFor(document: vscode.TextDocument): string[] {
    return this.answers.filter((answer) => answer.document === document).map((answer) => answer.text);
  }

  /** Resolves with the latest answer for `document` once it satisfies `accept`. */
  latestMatching(document: vscode.TextDocument, accept: (answer: InlineAnswer) => boolean, timeoutMs: number): Promise<InlineAnswer> {
    const latest = this.answers.filter((answer) => answer.document === document).at(-1);
    if (latest && accept(latest)) {
      return Promise.resolve(latest);
    }
    return new Promise<InlineAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`No matching answer within ${timeoutMs} ms; answers so far: ${JSON.stringify(this.textsFor(document))}`));
      }, timeoutMs);
      const listener = this.api.inlineProvider.onDidAnswer((answer) => {
        if (answer.document === document && accept(answer)) {
          clearTimeout(timer);
          listener.dispose();
          resolve(answer);
        }
      });
    });
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/**
 * The completion the core pipeline gives for the editor's cursor, computed independently of the
 * extension: a second worker on the same model folder, a fresh pipeline, the same settings and
 * inputs (the extension's recent edits, when given). With `prefillFirst`, the pipeline first
 * prefills the cursor's prompt and then completes, as the extension does after a prefill ahead
 * (see `coldPrefillAhead`), so that even an int8 model runs the very same computation.
 */
export async function expectedCompletion(
  editor: vscode.TextEditor,
  modelDir: string,
  recentEdits?: RecentEdits,
  { prefillFirst = false } = {},
): Promise<string | undefined> {
  const dist = path.join(ourExtension().extensionPath, 'dist');
  const engine = new WorkerEngineClient({ workerScript: path.join(dist, 'worker.js'), load: { modelDir, wasmDir: dist, threads: 0 } });
  try {
    const pipeline = new CompletionPipeline(engine, () => optionsFromSettings(currentSettings(editor.document)));
    const request = () => completionRequestFor(editor.document, editor.selection.active, recentEdits);
    if (prefillFirst) {
      await pipeline.prefill(request());
    }
    const result = await pipeline.complete(request());
    return result?.completion;
  } finally {
    await engine.dispose();
  }
}

/**
 * Puts the extension's KV cache in a state a fresh pipeline can reproduce: restarts the worker
 * (an empty cache) with `editor` active, and resolves once the prefill ahead that the restart
 * schedules has run the cursor's whole prompt from its first token. An int8 model can decode the
 * same prompt differently after another cache history (tokens reused from an earlier file, a
 * prefill at another cursor; see fp32View); from this state it decodes exactly as
 * `expectedCompletion(..., { prefillFirst: true })`.
 */
export async function coldPrefillAhead(api: LocalGptApi, editor: vscode.TextEditor, timeoutMs = 120_000): Promise<void> {
  const settled = nextEvent(api.models.onDidChangeState, (state) => state.kind === 'ready' || state.kind === 'error', timeoutMs);
  await api.models.restart();
  const state = await settled;
  if (state.kind === 'error') {
    throw new Error(`${state.message} ${state.action}`);
  }
  // The prefill starts a moment after the model is ready (prefillAhead.ts), so it is not missed.
  await nextEvent(api.prefillAhead.onDidPrefill, (document) => document === editor.document, timeoutMs).catch((error: Error) =>
    Promise.reject(new Error(`No prefill ahead of ${editor.document.uri.fsPath} after a restart: ${error.message}`)),
  );
}

/** Types text into the active editor the way a user does, one chunk at a time. */
export async function typeText(chunks: readonly string[]): Promise<void> {
  for (const text of chunks) {
    await vscode.commands.executeCommand('type', { text });
  }
}

/**
 * Shows the editor with its cursor at `position`, in one step: a selection set after opening can
 * be replaced by the editor's own restored one on a busy machine, and keys then go elsewhere.
 */
export async function placeCursor(editor: vscode.TextEditor, position: vscode.Position): Promise<vscode.TextEditor> {
  const shown = await vscode.window.showTextDocument(editor.document, { selection: new vscode.Selection(position, position), preserveFocus: false });
  if (!shown.selection.active.isEqual(position)) {
    throw new Error(`The cursor did not move to ${position.line}:${position.character}.`);
  }
  return shown;
}


/**
 * Resolves once the bundled model (models/lgc-small) is the one loaded: a settings change to it
 * restarts the worker a moment later, so a "ready" of the model before does not count.
 */
export async function bundledModelReady(api: LocalGptApi): Promise<void> {
  const dir = path.join(ourExtension().extensionPath, 'models', 'lgc-small');
  const ready = () => api.models.state.kind === 'ready' && api.models.state.modelDir === dir;
  if (!ready()) {
    await nextEvent(api.models.onDidChangeState, (state) => (state.kind === 'ready' && state.modelDir === dir) || state.kind === 'error', 120_000);
  }
  if (!ready()) {
    throw new Error(`The bundled model did not load: ${JSON.stringify(api.models.state)}`);
  }
}
