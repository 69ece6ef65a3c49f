/**
 * The assertions the web suite uses. The browser extension host has no node:assert and the project
 * bundles no browser port of it; these cover plain data (deepEqual compares JSON forms).
 */
export class AssertionError extends Error {}

function fail(message: string, detail?: string): never {
  throw new AssertionError(detail ? `${detail}: ${message}` : message);
}

export function ok(value: unknown, detail?: string): asserts value {
  if (!value) fail(`expected a truthy value, got ${JSON.stringify(value)}`, detail);
}

export function equal<T>(actual: T, expected: T, detail?: string): void {
  if (!Object.is(actual, expected)) fail(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, detail);
}

export function deepEqual<T>(actual: T, expected: T, detail?: string): void {
  const [a, e] = [JSON.stringify(actual, null, 1), JSON.stringify(expected, null, 1)];
  if (a !== e) fail(`expected ${e}, got ${a}`, detail);
}

export function match(actual: string, pattern: RegExp, detail?: string): void {
  if (!pattern.test(actual)) fail(`${JSON.stringify(actual)} does not match ${pattern}`, detail);
}

export async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    match(error instanceof Error ? error.message : String(error), pattern, 'rejection');
    return;
  }
  fail(`expected a rejection matching ${pattern}`);
}
