import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../engine/testModels';

/**
 * The shipped CLI bundle (dist/cli.js, built by `npm run build`) with the fixture model: the
 * bundle finds onnxruntime-web's runtime files next to it and answers JSON lines in order.
 */
const cli = path.join(repoRoot, 'dist', 'cli.js');
const fixtureModel = path.join(repoRoot, 'models', 'lgc-fixture');
const ready = fs.existsSync(cli) && fs.existsSync(path.join(fixtureModel, 'config.json'));
/** Loading the model and warming it up takes seconds on a loaded machine. */
const CLI_TIMEOUT_MS = 120_000;

(ready ? describe : describe.skip)('dist/cli.js complete with the fixture model', function () {
  this.timeout(CLI_TIMEOUT_MS);

  it('answers each JSON line, a bad one with an error record, and exits 0', () => {
    const request = { id: 'a', path: 'src/add.ts', languageId: 'typescript', prefix: 'export function add(a, b) {\n  return ', suffix: '\n}\n', mode: 'line' };
    const input = [JSON.stringify(request), '{"id": "b"}', JSON.stringify({ ...request, id: 'c', openFiles: [{ path: 'x.ts', text: 'a + b' }] })].join('\n');
    const run = spawnSync(process.execPath, [cli, 'complete', '--model', fixtureModel, '--threads', '1'], { input, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
    assert.equal(run.status, 0, run.stderr);
    const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(
      records.map((record) => [record.id, 'error' in record ? 'error' : typeof record.completion]),
      [['a', 'string'], ['b', 'error'], ['c', 'string']],
    );
    assert.ok(records[0].promptTokens > 0 && records[0].latencyMs >= 0);
  });
});
