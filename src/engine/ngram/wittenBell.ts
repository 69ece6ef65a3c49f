import type { ContextCounts } from './ngramCache';

/**
 * The cache's next-token distribution: interpolated Witten-Bell smoothing (Witten and Bell 1991;
 * Chen and Goodman 1998) from the longest context seen down to the unigrams:
 *
 *   p_k(w) = lambda_k * c_k(w) / c_k + (1 - lambda_k) * p_(k-1)(w),  lambda_k = c_k / (c_k + t_k)
 *
 * where c_k is how often the last k tokens occurred (followed by anything), c_k(w) how often they
 * were followed by w and t_k how many different tokens followed them; p_0 is the unigram share.
 *
 * Why Witten-Bell rather than Kneser-Ney: a cache over a few open files is tiny and changes on
 * every keystroke. Witten-Bell needs only the counts of the contexts on the path being queried,
 * which the cache reads off its index per query, while Kneser-Ney's continuation counts (how many
 * different tokens precede each lower-order n-gram) would have to be kept over the whole cache
 * and corrected on every edit. Its weight is also the right shape for copying code: a context
 * always followed by the same token (t_k = 1) trusts its counts more the more often it was seen,
 * 1/2, 2/3, 3/4..., and a context followed by many different tokens passes most of its mass down.
 * Kneser-Ney's advantage, better lower-order estimates for rare words in large corpora, barely
 * matters here: where the cache knows only short contexts, the blend leaves the GPT in charge.
 */

export interface NgramPrediction {
  /** Tokens of the longest context seen in the cache (0: none). */
  readonly contextLength: number;
  /** How often that context occurred, c(h). */
  readonly contextCount: number;
  /** How often it was followed by its most frequent next token. */
  readonly topCount: number;
  /** The mass each token gets from the contexts of length 1 and more. */
  readonly fromContexts: ReadonlyMap<number, number>;
  /** The mass left for the unigram distribution: the product of (1 - lambda_k). */
  readonly unigramMass: number;
}

/** `counts[k - 1]` holds the counts of the context of length k, as NgramCache.contextCounts gives. */
export function wittenBell(counts: readonly ContextCounts[]): NgramPrediction {
  const fromContexts = new Map<number, number>();
  let remaining = 1;
  for (let length = counts.length; length >= 1; length--) {
    const { total, followers } = counts[length - 1];
    const lambda = total / (total + followers.size);
    for (const [token, count] of followers) {
      fromContexts.set(token, (fromContexts.get(token) ?? 0) + (remaining * lambda * count) / total);
    }
    remaining *= 1 - lambda;
  }
  const longest = counts[counts.length - 1];
  return {
    contextLength: counts.length,
    contextCount: longest?.total ?? 0,
    topCount: longest ? Math.max(...longest.followers.values()) : 0,
    fromContexts,
    unigramMass: remaining,
  };
}
