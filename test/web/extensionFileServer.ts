/**
 * Serves the extension's own files over http on 127.0.0.1, the way @vscode/test-web serves an
 * extension under development: VS Code's browser workbench only runs an extension in its web
 * worker extension host when it can fetch the extension itself (on vscode.dev that is https;
 * a vscode-remote:// folder is scanned by the server and can only run there). The workbench
 * reaches it through code-server's /proxy/PORT/ route, on its own origin. Only the folders the
 * extension ships, plus the compiled web suite, are served.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const SERVED = ['package.json', 'README.md', 'LICENSE', 'dist/', 'media/', 'models/', 'out/test/web/'];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface ExtensionFileServer {
  /** The port on 127.0.0.1; its root is the extension's root. */
  readonly port: number;
  stop(): Promise<void>;
}

export async function serveExtensionFiles(root: string): Promise<ExtensionFileServer> {
  const server = http.createServer((request, response) => {
    const relative = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const file = path.resolve(root, relative);
    const allowed = file.startsWith(root + path.sep) && SERVED.some((entry) => (entry.endsWith('/') ? relative.startsWith(entry) : relative === entry));
    if (!allowed || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
