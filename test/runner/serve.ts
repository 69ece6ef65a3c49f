/**
 * npm start: serves VS Code (code-server) on 127.0.0.1 with this extension loaded from the
 * working tree and a demo workspace open, and prints the URL. Ctrl+C stops it.
 *   LOCAL_GPT_PORT   port to listen on (default 8080; 0 picks a free one)
 *   LOCAL_GPT_KEEP_DEMO=1  keep the demo workspace's edits from the last run (by default each start
 *                          copies it fresh from test/fixtures/demo-workspace)
 * Its state (settings, the demo workspace copy) lives in .test-tmp/serve; settings survive restarts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './codeServerProcess';

const root = path.resolve(__dirname, '..', '..', '..');

/** A calmer first start for the demo: open its README, no Git prompt about the parent repo. */
function seedUserSettings(stateDir: string): void {
  const file = path.join(stateDir, 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const settings = { 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never' };
    fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  }
}

async function main(): Promise<void> {
  const stateDir = path.join(root, '.test-tmp', 'serve');
  const workspace = path.join(stateDir, 'demo-workspace');
  if (process.env.LOCAL_GPT_KEEP_DEMO !== '1') {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (!fs.existsSync(workspace)) {
    fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
    console.log(`Demo workspace: a fresh copy in ${path.relative(root, workspace)} (LOCAL_GPT_KEEP_DEMO=1 keeps your edits next time).`);
  }
  seedUserSettings(stateDir);
  const port = Number(process.env.LOCAL_GPT_PORT ?? 8080);
  const server = await startCodeServer({ root, stateDir, port, startTimeoutMs: 60_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\nIs port ${port} in use? Choose another with LOCAL_GPT_PORT=8081 npm start.`);
  });
  const url = server.workbenchUrl(workspace, [['extensionDevelopmentPath', root]]);
  console.log(`\nLocal GPT Completion is running in VS Code (code-server) at:\n\n  ${url}\n`);
  const listening = new URL(server.origin).port;
  console.log(`Open it in a browser on this machine (from another one: ssh -L ${listening}:127.0.0.1:${listening} this-machine).`);
  console.log('The "Local GPT" commands are in the Command Palette (Ctrl+Shift+P). Ctrl+C stops the server.');
  let stopping = false;
  const stop = (code: number) => {
    stopping = true;
    void server.stop().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(0)).once('SIGTERM', () => stop(0));
  const code = await server.exited;
  if (!stopping) {
    console.error(`code-server exited unexpectedly (code ${code}):\n${server.outputTail()}`);
    stop(1);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
