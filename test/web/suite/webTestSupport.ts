/** Helpers of the web suite: the extension's API, the run's scenario and the fixture model. */
import * as vscode from 'vscode';
import type { ModelState } from '../../../src/vscode/workerModelService';
import type { LocalGptWebApi } from '../../../src/web/extension';
import { SCENARIO_FILE, type WebScenario } from './runContract';

export const EXTENSION_ID = 'localgpt.local-gpt-completion';
/** The fixture model, inside the extension: the only place the browser build loads models from. */
export const FIXTURE_MODEL = 'models/lgc-fixture';

export async function activatedApi(): Promise<LocalGptWebApi> {
  const extension = vscode.extensions.getExtension<LocalGptWebApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The web tests need the test workspace folder open.');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

export async function scenario(): Promise<WebScenario> {
  const bytes = await vscode.workspace.fs.readFile(workspaceUri(SCENARIO_FILE));
  return JSON.parse(new TextDecoder().decode(bytes)) as WebScenario;
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('localGpt');
}

/** Sets user-level settings for a test; the returned function puts the previous values back. */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const previous = Object.keys(values).map((key) => [key, config().inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    for (const [key, value] of previous) await config().update(key, value, vscode.ConfigurationTarget.Global);
  };
}

/** Points localGpt.model.path at the fixture model and waits until it is ready (or failed). */
export async function useFixtureModel(api: LocalGptWebApi, timeoutMs = 180_000): Promise<ModelState & { kind: 'ready' }> {
  const isFixture = (state: ModelState) => (state.kind === 'ready' || state.kind === 'error') && state.modelDir?.endsWith(FIXTURE_MODEL) === true;
  let state = api.models.state;
  if (!isFixture(state)) {
    const settled = new Promise<ModelState>((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`The fixture model did not load within ${timeoutMs} ms (state: ${JSON.stringify(api.models.state)})`));
      }, timeoutMs);
      const listener = api.models.onDidChangeState((changed) => {
        if (isFixture(changed)) {
          clearTimeout(timer);
          listener.dispose();
          resolve(changed);
        }
      });
    });
    if (config().get('model.path') !== FIXTURE_MODEL) {
      await config().update('model.path', FIXTURE_MODEL, vscode.ConfigurationTarget.Global);
    } else {
      void api.models.restart();
    }
    state = await settled;
  }
  if (state.kind !== 'ready') throw new Error(state.kind === 'error' ? `${state.message} ${state.action}` : `state ${state.kind}`);
  return state;
}
