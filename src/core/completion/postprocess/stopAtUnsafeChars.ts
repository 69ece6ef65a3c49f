import { firstUnsafeChar } from '../unsafeText';
import type { FilterContext } from './filterContext';

/**
 * Cuts the completion before its first bidirectional control, and before its first invisible or
 * confusable character of a class the trusted text (the current document and the instruction;
 * by default the prefix and suffix windows) does not already hold. The classes and the rule are
 * in `../unsafeText.ts`.
 */
export function stopAtUnsafeChars(completion: string, context: FilterContext): string {
  const unsafe = firstUnsafeChar(completion, context.trustedText ?? [context.prefix, context.suffix]);
  return unsafe === undefined ? completion : completion.slice(0, unsafe.index);
}
