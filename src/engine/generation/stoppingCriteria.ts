/** Token-level stopping criteria: end-of-sequence ids and a maximum number of new tokens. */

export type TokenStopReason = 'eos' | 'max-tokens';

export class StoppingCriteria {
  constructor(
    private readonly maxNewTokens: number,
    /** EOS ids from the model config, plus any special token (text parts can never hold one). */
    private readonly stopTokenIds: ReadonlySet<number>,
  ) {}

  /** Checked on each sampled token before it is emitted. */
  isStopToken(token: number): boolean {
    return this.stopTokenIds.has(token);
  }

  /** Checked after a token is emitted: has the budget run out? */
  isBudgetSpent(generatedTokens: number): boolean {
    return generatedTokens >= this.maxNewTokens;
  }
}
