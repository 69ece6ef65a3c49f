/**
 * Text from outside (a model folder's name, an error message) shown inside Markdown, such as the
 * status bar's tooltip: every ASCII punctuation character is backslash-escaped (CommonMark lets any
 * of them be), so the text can open no link, image, emphasis, heading, code span, HTML tag or
 * autolink, and shows exactly as it is. Line breaks become spaces: the text stays one line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * A plain-text tooltip (lines, the first one `Title: text`) as Markdown: every line escaped, one
 * hard line break each, the title in bold.
 */
export function tooltipMarkdown(plain: string): string {
  return plain
    .split('\n')
    .map((line, index) => {
      const colon = line.indexOf(': ');
      return index === 0 && colon > 0 ? `**${escapeMarkdown(line.slice(0, colon))}**: ${escapeMarkdown(line.slice(colon + 2))}` : escapeMarkdown(line);
    })
    .join('  \n');
}
