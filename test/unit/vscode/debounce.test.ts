import * as assert from 'node:assert/strict';
import { debounce } from '../../../src/vscode/debounce';

/** The provider's debounce: a timer that an AbortSignal (VS Code's cancellation) cuts short. */
describe('debounce', () => {
  it('resolves true once the time has passed', async () => {
    const started = Date.now();
    assert.equal(await debounce(40, new AbortController().signal), true);
    assert.ok(Date.now() - started >= 35, 'waited about the debounce time');
  });

  it('resolves false as soon as the signal aborts, without waiting out the time', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waited = debounce(60_000, controller.signal);
    controller.abort();
    assert.equal(await waited, false);
    assert.ok(Date.now() - started < 30_000);
  });

  it('does not wait at all for an aborted signal or a zero debounce', async () => {
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(await debounce(60_000, aborted.signal), false);
    assert.equal(await debounce(0, new AbortController().signal), true);
  });
});
