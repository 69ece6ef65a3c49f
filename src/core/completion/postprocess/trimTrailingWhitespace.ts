/** Trailing spaces on any line, and trailing blank lines, are never worth a suggestion. */
export function trimTrailingWhitespace(completion: string): string {
  return completion
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}
