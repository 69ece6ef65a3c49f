/**
 * Starts code-server (VS Code 1.100 server, from the code-server devDependency) in its own process
 * group, with every directory it writes to inside one state folder, and stops the whole group.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CodeServerOptions {
  /** The repository root (holds node_modules/code-server). */
  root: string;
  /** Folder for user data, extensions, HOME, TMPDIR and XDG dirs of the server. */
  stateDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Extra environment for the server and so for the extension host it starts. */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs: number;
}

export interface CodeServer {
  readonly origin: string;
  /** Workbench URL that opens a folder and passes development options (extensionTestsPath...). */
  workbenchUrl(folder: string, developmentOptions: Array<[string, string]>): string;
  /** Whether the server's process group has ended before stop() was called. */
  readonly exited: Promise<number | null>;
  /** The last lines the server printed, for error reports. */
  outputTail(): string;
  /** Kills the process group; resolves once no process of it is left. */
  stop(): Promise<void>;
}

const LISTENING = /HTTP server listening on (http:\/\/[^\s]+)/;

function stateDirs(stateDir: string) {
  const dirs = {
    home: path.join(stateDir, 'home'),
    tmp: path.join(stateDir, 'tmp'),
    xdgData: path.join(stateDir, 'xdg-data'),
    xdgConfig: path.join(stateDir, 'xdg-config'),
    xdgCache: path.join(stateDir, 'xdg-cache'),
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  return dirs;
}

/** The environment that keeps a process's files inside stateDir (nothing in the real $HOME). */
export function isolatedEnv(stateDir: string): NodeJS.ProcessEnv {
  const dirs = stateDirs(stateDir);
  return {
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupEnd(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

async function killGroup(pgid: number): Promise<void> {
  for (const [signal, waitMs] of [['SIGTERM', 5000], ['SIGKILL', 5000]] as const) {
    if (!groupAlive(pgid)) {
      return;
    }
    try {
      process.kill(-pgid, signal);
    } catch {
      return;
    }
    if (await waitForGroupEnd(pgid, waitMs)) {
      return;
    }
  }
  throw new Error(`code-server process group ${pgid} survived SIGKILL; check: ps -o pid,cmd -g ${pgid}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = path.join(options.root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed (${entry} is missing): run bash .ci/setup.sh (see CONTRIBUTING.md).`);
  }
  const dirs = stateDirs(options.stateDir);
  const configFile = path.join(options.stateDir, 'code-server.yaml');
  fs.writeFileSync(configFile, '');
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config', configFile,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
  // detached: its own process group, so stop() can end the file watcher and extension hosts too.
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.stateDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...isolatedEnv(options.stateDir),
      // No extension gallery (code-server defaults to open-vsx.org): nothing may reach the network.
      EXTENSIONS_GALLERY: '{}',
      ...options.env,
    },
  });
  const pgid = child.pid!;
  // Last resort if this process dies without calling stop() (uncaught error, process.exit).
  const killOnExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    await killGroup(pgid);
    process.removeListener('exit', killOnExit);
  };
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not start within ${options.startTimeoutMs} ms.`)),
      options.startTimeoutMs,
    );
    const onData = (data: Buffer) => {
      output = (output + data.toString()).slice(-20_000);
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]).origin);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => reject(new Error(`Could not start code-server: ${error.message}`)));
    void exited.then((code) => reject(new Error(`code-server exited (code ${code}) before listening.`)));
  }).catch(async (error: Error) => {
    await stop();
    throw new Error(`${error.message}\n--- code-server output ---\n${output.slice(-4000)}`);
  });
  const remote = `vscode-remote://${new URL(origin).host}`;
  return {
    origin,
    exited,
    workbenchUrl(folder, developmentOptions) {
      const payload = developmentOptions.map(([name, file]) => [name, `${remote}${file}`]);
      return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    outputTail: () => output.slice(-4000),
    stop,
  };
}
