/** Typing into the page one key at a time at a person's pace, with seeded, repeatable delays. */
import type { Page } from 'playwright-core';
import { seededRandom } from '../support/seededRandom';


export interface Pace {
  readonly minMs: number;
  readonly maxMs: number;
  readonly random: () => number;
}

export function humanPace(seed: number, minMs = 60, maxMs = 120): Pace {
  return { minMs, maxMs, random: seededRandom(seed) };
}

function pause(pace: Pace): Promise<void> {
  const ms = pace.minMs + pace.random() * (pace.maxMs - pace.minMs);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Types `text` one character at a time (each a real key press, so VS Code sees typing, opens its
 * suggest widget and auto-closes brackets as it would for a person), waiting between keys. No wait
 * after the last key: the caller measures from it.
 */
export async function typeHuman(page: Page, text: string, pace: Pace): Promise<void> {
  for (const [index, character] of [...text].entries()) {
    if (index > 0) await pause(pace);
    await page.keyboard.type(character);
  }
}

/** A key (Enter, Tab...) at the same pace: the wait comes before it. */
export async function pressHuman(page: Page, key: string, pace: Pace): Promise<void> {
  await pause(pace);
  await page.keyboard.press(key);
}
