/**
 * Tests of the integration runner itself: it must exit non-zero when the extension is broken or
 * the run cannot finish. Each case starts code-server and Chromium, so there are only a few.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const runner = path.resolve(__dirname, '..', 'runner', 'codeServer.js');

function runRunner(env: NodeJS.ProcessEnv): { status: number | null; output: string; lastLine: string } {
  // Each case starts code-server and Chromium and takes a minute or more: say so before waiting.
  console.log(`      running the integration runner with ${Object.entries(env).map(([key, value]) => `${key}=${value}`).join(' ')}...`);
  const result = spawnSync(process.execPath, [runner], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, output, lastLine: lines[lines.length - 1] };
}

describe('integration runner', function () {
  this.timeout(300_000);

  it('fails the suite, exit code 1, when activate() throws', () => {
    const run = runRunner({ LOCAL_GPT_TEST_FAIL_ACTIVATION: '1' });
    assert.equal(run.status, 1, run.output);
    // Tests skipped for a missing model are reported as ", N skipped".
    assert.match(run.lastLine, /^0 passed, [1-9]\d* failed(, \d+ skipped)?$/, run.output);
    assert.match(run.output, /Activation failed on purpose/);
  });

  it('exits 1 with a reason when the extension host crashes', () => {
    const run = runRunner({ LOCAL_GPT_TEST_CRASH_HOST: '1' });
    assert.equal(run.status, 1, run.output);
    assert.match(run.lastLine, /^Integration tests did not complete: the extension host ended .* it crashed/, run.output);
  });

  it('exits 1 with a reason when the run times out', () => {
    const run = runRunner({ LOCAL_GPT_TEST_TIMEOUT_S: '1' });
    assert.equal(run.status, 1, run.output);
    assert.match(run.lastLine, /^Integration tests did not complete: The tests did not finish within 1 s\.$/, run.output);
  });
});
