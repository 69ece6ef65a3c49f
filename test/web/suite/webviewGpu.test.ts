import * as vscode from 'vscode';
import * as assert from './assert';
import { scenario } from './webTestSupport';

interface GpuProbe {
  readonly secureContext: boolean;
  readonly hasNavigatorGpu: boolean;
  readonly adapter: string | null;
  readonly error?: string;
}

function probeHtml(nonce: string): string {
  return `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><script nonce="${nonce}">
const vscode = acquireVsCodeApi();
(async () => {
  const probe = { secureContext: isSecureContext, hasNavigatorGpu: !!navigator.gpu, adapter: null };
  try {
    const adapter = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    probe.adapter = adapter ? [adapter.info.vendor, adapter.info.architecture].join(' ') : null;
  } catch (error) {
    probe.error = String(error);
  }
  vscode.postMessage(probe);
})();
</script></body></html>`;
}

/**
 * The route desktop VS Code would need for WebGPU: its extension host is Node (no WebGPU), but a
 * webview is a page of the workbench's renderer. This measures whether VS Code's webview sandbox
 * (own origin, CSP, service worker) lets a webview reach the renderer's WebGPU adapter.
 */
describe('WebGPU inside a webview', function () {
  this.timeout(120_000);

  it('a webview gets the adapter the workbench page has, and none when the browser has none', async () => {
    const expected = (await scenario()).expectedBackend;
    const panel = vscode.window.createWebviewPanel('localGpt.gpuProbe', 'GPU probe', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    try {
      const probe = new Promise<GpuProbe>((resolve) => panel.webview.onDidReceiveMessage((message: GpuProbe) => resolve(message)));
      panel.webview.html = probeHtml(Math.random().toString(36).slice(2));
      const result = await probe;
      console.log(`    webview WebGPU probe: ${JSON.stringify(result)}`);
      assert.ok(result.secureContext, 'webviews are secure contexts');
      if (expected === 'webgpu') assert.match(result.adapter ?? '', /swiftshader/);
      else assert.equal(result.adapter, null);
    } finally {
      panel.dispose();
    }
  });
});
