import * as assert from './assert';
import * as vscode from 'vscode';
import { activatedApi, EXTENSION_ID, scenario, useFixtureModel, withSettings } from './webTestSupport';

/** The extension runs in the browser's own extension host and loads models from itself only. */
describe('the browser build in the web worker extension host', () => {
  it('runs as a web extension: a worker scope without Node', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is loaded');
    assert.equal(extension.extensionKind, vscode.ExtensionKind.UI, 'runs on the browser side');
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    assert.equal(typeof (globalThis as { importScripts?: unknown }).importScripts, 'function', 'a Web Worker global scope');
    assert.equal(typeof (globalThis as { process?: unknown }).process, 'undefined', 'no Node.js process');
  });

  it('loads the fixture model from the extension on the backend the browser offers', async () => {
    const api = await activatedApi();
    const expected = (await scenario()).expectedBackend;
    const state = await useFixtureModel(api);
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri.toString(true);
    assert.ok(state.modelDir.startsWith(extensionUri), `${state.modelDir} is inside ${extensionUri}`);
    assert.equal(state.backend, expected, `backend detail: ${state.info.backendDetail}`);
    assert.equal(state.info.backend, expected);
    if (expected === 'webgpu') {
      assert.match(state.info.backendDetail ?? '', /^WebGPU adapter: /);
    } else {
      assert.match(state.info.backendDetail ?? '', /^WASM: .*(no WebGPU|no adapter)/);
    }
  });

  it('names the backend in the status bar', async () => {
    const api = await activatedApi();
    const expected = (await scenario()).expectedBackend;
    await useFixtureModel(api);
    assert.ok(api.commands.statusBar.view.tooltip.includes(`Backend: ${expected === 'webgpu' ? 'WebGPU' : 'WASM'}`), api.commands.statusBar.view.tooltip);
  });

  it('refuses a model path outside the extension instead of fetching it', async () => {
    const api = await activatedApi();
    const failed = new Promise<string>((resolve) => {
      const listener = api.models.onDidChangeState((state) => {
        if (state.kind === 'error') {
          listener.dispose();
          resolve(state.message);
        }
      });
    });
    const restore = await withSettings({ 'model.path': '../../etc' });
    try {
      assert.match(await failed, /only be loaded from inside the extension/);
      assert.equal(api.models.engine, undefined, 'no worker runs');
    } finally {
      await restore();
    }
  });
});
