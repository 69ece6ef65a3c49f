/**
 * The web suite's entry, loaded by VS Code as `extensionTestsPath` inside the browser's web worker
 * extension host (bundled to out/test/web/suite/index.js with mocha's browser build). The host has
 * no file system and no process: mocha's spec reporter prints through console.log, which the
 * workbench forwards to the page, and the last line is a summary the runner parses.
 */
import 'mocha/mocha.js';
import { SUMMARY_MARKER } from './runContract';

/** console.log's %s/%d substitution, done here: the host forwards the raw arguments. */
function format(...args: unknown[]): string {
  if (typeof args[0] !== 'string') return args.map(String).join(' ');
  const [template, ...values] = args as [string, ...unknown[]];
  const text = template.replace(/%[sdi%]/g, (directive) => (directive === '%%' ? '%' : String(values.shift())));
  return [text, ...values.map(String)].join(' ');
}

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60_000, color: false });
  // Required after setup: the test files call describe() when they load.
  require('./webHost.test');
  require('./backends.test');
  require('./completion.test');
  require('./webviewGpu.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      console.log(`${SUMMARY_MARKER} ${JSON.stringify({ passes: stats.passes, failures: stats.failures, pending: stats.pending })}`);
      if (failures > 0) reject(new Error(`${failures} web test(s) failed.`));
      else resolve();
    });
  });
}
