import type { GenerateResult } from '../engine';
import { keyString, type RequestKey, requestKeyOf, typedSince } from './requestKey';
import type { CompletionRequest } from './types';

/**
 * One engine generation that several requests can follow: the request that started it, and later
 * ones whose prefix extends its prefix with exactly the text it is producing (the user typed what
 * the model is writing). The engine is stopped only when no follower wants more of it.
 */

export type StartGeneration = (signal: AbortSignal, onDelta: (delta: string) => void) => Promise<GenerateResult>;

/** How a follower sees the stream: the raw text after what it typed, as it grows. */
export type RawListener = (raw: string) => void;

interface Follower {
  readonly typed: string;
  readonly listener: RawListener;
  /** Called when the model writes something other than what this follower typed. */
  readonly diverged: () => void;
  wantsMore: boolean;
}

export class SharedGeneration {
  readonly key: RequestKey;
  private raw = '';
  private deltas = 0;
  private finished = false;
  private readonly followers = new Set<Follower>();
  private readonly controller = new AbortController();
  private readonly result: Promise<GenerateResult>;

  constructor(request: CompletionRequest, start: StartGeneration) {
    this.key = requestKeyOf(request);
    this.result = start(this.controller.signal, (delta) => this.receive(delta)).then(
      (result) => this.settle(result),
      (error: unknown) => {
        if (this.controller.signal.aborted) {
          return this.settle(undefined);
        }
        this.finished = true;
        throw error;
      },
    );
    // Followers see a failure; one that happens after the last follower left must not go unhandled.
    this.result.catch(() => undefined);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * The text a request typed on top of this generation's prefix, when the generation can serve
   * it: so far the model produced that text, or is still on its way to it.
   */
  typedAhead(request: CompletionRequest): string | undefined {
    if (this.controller.signal.aborted) {
      return undefined;
    }
    const key = requestKeyOf(request);
    if (keyString(key) === keyString(this.key)) {
      return '';
    }
    const typed = typedSince(this.key, request, key.context);
    if (typed === undefined) {
      return undefined;
    }
    return agrees(this.raw, typed) && (this.raw.length >= typed.length || !this.finished) ? typed : undefined;
  }

  /**
   * Follows the generation until it ends, it stops producing what was typed, or `signal` aborts;
   * the text is what follows the typed text, or undefined when the model did not produce it.
   */
  async follow(typed: string, listener: RawListener, signal: AbortSignal): Promise<{ text: string; result: GenerateResult } | undefined> {
    let diverged: () => void = () => undefined;
    const divergence = new Promise<undefined>((resolve) => (diverged = () => resolve(undefined)));
    const follower: Follower = { typed, listener, diverged, wantsMore: true };
    this.followers.add(follower);
    const leave = () => this.leave(follower);
    signal.addEventListener('abort', leave, { once: true });
    try {
      if (this.raw.length > typed.length) {
        listener(this.raw.slice(typed.length));
      }
      const result = await Promise.race([this.result, divergence]);
      if (result === undefined || signal.aborted || !result.text.startsWith(typed)) {
        return undefined;
      }
      return { text: result.text.slice(typed.length), result };
    } finally {
      signal.removeEventListener('abort', leave);
      this.leave(follower);
    }
  }

  /** A follower has all it needs; the engine stops once every follower has. */
  enough(listener: RawListener): void {
    for (const follower of this.followers) {
      if (follower.listener === listener) {
        follower.wantsMore = false;
      }
    }
    this.stopIfUnwanted();
  }

  private leave(follower: Follower): void {
    if (this.followers.delete(follower)) {
      this.stopIfUnwanted();
    }
  }

  private stopIfUnwanted(): void {
    if (!this.finished && [...this.followers].every((follower) => !follower.wantsMore)) {
      this.controller.abort();
    }
  }

  private receive(delta: string): void {
    this.raw += delta;
    this.deltas++;
    for (const follower of [...this.followers]) {
      if (!agrees(this.raw, follower.typed)) {
        follower.diverged();
      } else if (this.raw.length > follower.typed.length) {
        follower.listener(this.raw.slice(follower.typed.length));
      }
    }
  }

  /** The engine's result, or when it was stopped by throwing, one rebuilt from the stream. */
  private settle(result: GenerateResult | undefined): GenerateResult {
    this.finished = true;
    return result ?? { text: this.raw, promptTokens: 0, generatedTokens: this.deltas, reusedPromptTokens: 0, stopReason: 'cancelled' };
  }
}

/** Whether generated text and typed text agree so far: one is the start of the other. */
function agrees(raw: string, typed: string): boolean {
  return raw.length >= typed.length ? raw.startsWith(typed) : typed.startsWith(raw);
}
