/**
 * Cooperative time slicing for work that runs on the extension host's thread: callers await
 * `checkpoint()` between small steps, and it yields to the event loop once the current slice has
 * run for `sliceMs`, so no single task holds the host for longer (VS Code's rule: an extension
 * never blocks the host).
 */
import { yieldToEventLoop } from '../yieldToEventLoop';

export const DEFAULT_SLICE_MS = 8;

export class TimeSlicer {
  private sliceStart = performance.now();
  /** Times the work gave the event loop a turn (tests check that it does). */
  yields = 0;

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  async checkpoint(): Promise<void> {
    if (performance.now() - this.sliceStart >= this.sliceMs) {
      await yieldToEventLoop();
      this.yields++;
      this.sliceStart = performance.now();
    }
  }
}
