import * as vscode from 'vscode';
import type { CompletionStats, StatsSnapshot } from '../core/stats';

/** What the view's script reports after drawing: the texts it shows, read back from its DOM. */
export interface RenderedStats {
  readonly p50: string;
  readonly p95: string;
  readonly shown: string;
  readonly accepted: string;
  readonly acceptance: string;
  readonly tokensPerSecond: string;
  readonly histogramBars: number;
  readonly languages: readonly string[];
}

type ViewMessage = { readonly type: 'ready' } | { readonly type: 'reset' } | { readonly type: 'rendered'; readonly rendered: RenderedStats };

/**
 * "Local GPT: Show Completion Statistics": a webview drawn by media/stats.js from the snapshot the
 * extension posts to it. Strict CSP: no network, no inline code, only this extension's media/
 * files and one script carrying a fresh nonce. The figures never leave the machine: the view gets
 * them by postMessage and has no way to send them anywhere.
 */
export class StatsView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly rendered = new vscode.EventEmitter<RenderedStats>();
  /** Fires each time the view has drawn a snapshot. */
  readonly onDidRender = this.rendered.event;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly stats: CompletionStats,
    private readonly resetStats: () => unknown,
  ) {
    this.unsubscribe = stats.onDidChange(() => this.post());
  }

  /** The HTML of the open view, undefined when closed. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.post();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('localGpt.stats', 'Local GPT Statistics', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((message: ViewMessage) => this.onMessage(message));
    panel.webview.html = statsHtml(panel.webview, media);
  }

  private onMessage(message: ViewMessage): void {
    switch (message.type) {
      case 'ready':
        this.post();
        break;
      case 'reset':
        void this.resetStats();
        break;
      case 'rendered':
        this.rendered.fire(message.rendered);
        break;
    }
  }

  private post(): void {
    const snapshot: StatsSnapshot = this.stats.snapshot();
    void this.panel?.webview.postMessage({ type: 'stats', snapshot });
  }

  dispose(): void {
    this.unsubscribe();
    this.panel?.dispose();
    this.rendered.dispose();
  }
}

export function statsHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = newNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'stats.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'stats.css'));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Local GPT Statistics</title>
</head>
<body>
<h1>Local GPT Statistics</h1>
<p class="note">Kept on this machine only; nothing here is ever sent anywhere.</p>
<section class="figures">
  <div class="figure"><span class="label">Suggestions shown</span><span id="shown" class="value">–</span></div>
  <div class="figure"><span class="label">Accepted</span><span id="accepted" class="value">–</span></div>
  <div class="figure"><span class="label">Acceptance rate</span><span id="acceptance" class="value">–</span></div>
  <div class="figure"><span class="label">Speed</span><span id="tokensPerSecond" class="value">–</span></div>
</section>
<h2>Suggestion latency</h2>
<p>p50 <strong id="p50">–</strong> · p95 <strong id="p95">–</strong> · <span id="latencyCount">0</span> suggestions measured</p>
<svg id="histogram" role="img" aria-label="Latency histogram" viewBox="0 0 560 180" preserveAspectRatio="none"></svg>
<h2>Per language</h2>
<table id="languages"><thead><tr><th>Language</th><th>Requests</th><th>Shown</th><th>Accepted</th></tr></thead><tbody></tbody></table>
<button id="reset" type="button">Reset Statistics</button>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** 128 random bits, base64: a nonce the page cannot guess in advance. */
function newNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
