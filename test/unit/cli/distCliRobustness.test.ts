import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../engine/testModels';

/**
 * Issue 17, item 3, through the shipped bundle (dist/cli.js) and the fixture model: an over-long
 * line is answered and skipped, a closed stdout ends the CLI quietly with exit 0, and --threads
 * is capped at the cores.
 */
const cli = path.join(repoRoot, 'dist', 'cli.js');
const fixtureModel = path.join(repoRoot, 'models', 'lgc-fixture');
const ready = fs.existsSync(cli) && fs.existsSync(path.join(fixtureModel, 'config.json'));
/** Loading the model and warming it up takes seconds on a loaded machine. */
const CLI_TIMEOUT_MS = 120_000;
const REQUEST = { id: 'good', path: 'src/add.ts', languageId: 'typescript', prefix: 'export function add(a, b) {\n  return ', suffix: '\n}\n', mode: 'line' };

(ready ? describe : describe.skip)('dist/cli.js under hostile input', function () {
  this.timeout(CLI_TIMEOUT_MS);

  it('answers a line over --max-line-bytes with an error naming the limit, serves the next one, and caps --threads at the cores', () => {
    const huge = JSON.stringify({ ...REQUEST, id: 'huge', prefix: 'x'.repeat(5000) });
    const input = `${huge}\n${JSON.stringify(REQUEST)}\n`;
    const run = spawnSync(process.execPath, [cli, 'complete', '--model', fixtureModel, '--threads', '64', '--max-line-bytes', '1000'], {
      input,
      encoding: 'utf8',
      timeout: CLI_TIMEOUT_MS,
    });
    assert.equal(run.status, 0, run.stderr);
    const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(records.length, 2);
    assert.deepEqual(records[0], {
      id: null,
      error: `request line of ${Buffer.byteLength(huge)} bytes is longer than the limit of 1000 bytes (--max-line-bytes); it was skipped`,
    });
    assert.equal(records[1].id, 'good');
    assert.equal(typeof records[1].completion, 'string');
    const cores = os.availableParallelism();
    if (cores < 64) {
      assert.match(run.stderr, new RegExp(`--threads 64 is more than the ${cores} cores here; using ${cores}\\.`));
    }
  });

  it('ends quietly with exit 0 when stdout is closed (| head -1)', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lgc-cli-'));
    try {
      // Error records for 3,000 bad lines are far more than a pipe buffers, so writes go on after head exits.
      const input = path.join(folder, 'input.jsonl');
      fs.writeFileSync(input, Array.from({ length: 3000 }, (_, index) => JSON.stringify({ id: `${'x'.repeat(200)}${index}` })).join('\n') + '\n');
      const command = `set -o pipefail; "${process.execPath}" "${cli}" complete --model "${fixtureModel}" --threads 1 < "${input}" | head -1`;
      const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '');
      assert.equal(run.stdout.trim().split('\n').length, 1);
      assert.ok('error' in JSON.parse(run.stdout));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
