/** Samplers pick the next token from processed logits: greedy (argmax) or seeded multinomial. */

export interface Sampler {
  sample(logits: Float32Array): number;
}

/** The highest logit; the lowest id wins a tie, as in torch.argmax and transformers.js. */
export class GreedySampler implements Sampler {
  sample(logits: Float32Array): number {
    let best = 0;
    for (let index = 1; index < logits.length; index++) {
      if (logits[index] > logits[best]) best = index;
    }
    return best;
  }
}

/** Draws from softmax(logits) with a seeded generator, so a seed reproduces a completion. */
export class MultinomialSampler implements Sampler {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  sample(logits: Float32Array): number {
    let max = -Infinity;
    for (const logit of logits) if (logit > max) max = logit;
    let total = 0;
    const weights = new Float64Array(logits.length);
    for (let index = 0; index < logits.length; index++) {
      weights[index] = Math.exp(logits[index] - max);
      total += weights[index];
    }
    let remaining = this.random() * total;
    let last = 0;
    for (let index = 0; index < weights.length; index++) {
      if (weights[index] === 0) continue;
      last = index;
      remaining -= weights[index];
      if (remaining <= 0) return index;
    }
    return last;
  }
}

/** Small fast 32-bit PRNG (public domain); uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildSampler(temperature: number, seed: number | undefined): Sampler {
  return temperature > 0 ? new MultinomialSampler(seed ?? Math.floor(Math.random() * 2 ** 32)) : new GreedySampler();
}
