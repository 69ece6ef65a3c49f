/**
 * Waits `ms` milliseconds unless `signal` aborts first. Resolves true when the time passed and
 * false when aborted: the caller simply stops, so an aborted wait is not an error. A timer plus
 * an abort listener, so nothing polls.
 */
export function debounce(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) {
    return Promise.resolve(false);
  }
  if (ms <= 0) {
    return Promise.resolve(true);
  }
  return new Promise<boolean>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
