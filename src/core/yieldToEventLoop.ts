/**
 * Gives the event loop a turn (messages, cancellation, timers) between steps of long work:
 * setImmediate where there is one (Node), a zero timeout in browsers and web workers.
 */
export const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));
