/** What the web runner (Node) and the web suite (browser extension host) agree on. */

/** The suite's last console line: this marker, then the counts as JSON. */
export const SUMMARY_MARKER = '[local-gpt-web-suite] summary';

/** Written into the test workspace by the runner: which browser this run has. */
export const SCENARIO_FILE = '.local-gpt-web-scenario.json';

export interface WebScenario {
  readonly name: string;
  /** The backend the browser of this run must end up on ('webgpu' with an adapter, else 'wasm'). */
  readonly expectedBackend: 'webgpu' | 'wasm';
}
