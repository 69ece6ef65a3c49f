/**
 * The benchmark's configuration names: "few-shot off, GPT alone", "few-shot on,  GPT alone", ...
 * Built here and read back here, so that pairing off with on (bench:completion, bench:combine)
 * never depends on a pattern written twice.
 */

const FEW_SHOT_PREFIX = /^few-shot (off|on),\s*/;

export function configName(fewShot: boolean, rest: string): string {
  return `few-shot ${fewShot ? 'on, ' : 'off,'} ${rest}`;
}

/** The name without its few-shot part: the same for a configuration's off and on runs. */
export function withoutFewShot(name: string): string {
  return name.replace(FEW_SHOT_PREFIX, '');
}

export function isFewShotOff(name: string): boolean {
  return FEW_SHOT_PREFIX.exec(name)?.[1] === 'off';
}
