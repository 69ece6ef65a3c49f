import type { PromptPart, SpecialTokenRole } from '../engine';
import type { Snippet } from './types';

/**
 * Template: the prompt as PromptParts (text and named special tokens, so file text can never
 * inject a special token). Its order is fixed: few-shot snippets first, then the file itself, so
 * consecutive prompts share a long beginning and the engine reuses its KV cache.
 *
 * The default model was trained on documents optionally headed by `<|file_sep|>path\n` and ended
 * by `<|endoftext|>`, and on FIM chunks in both orders:
 *   PSM `<|fim_prefix|>prefix<|fim_suffix|>suffix<|fim_middle|>middle`
 *   SPM `<|fim_prefix|><|fim_suffix|>suffix<|fim_middle|>prefix middle`
 * SPM puts the prefix last, so the text that changes with every keystroke (the end of the
 * prefix) is the prompt's tail and everything before it stays cached; in PSM the suffix follows
 * the changing text and is prefilled again on every request.
 */

export type FimOrder = 'psm' | 'spm';
export const DEFAULT_FIM_ORDER: FimOrder = 'spm';

export interface PromptInput {
  readonly path: string;
  readonly languageId: string;
  readonly snippets: readonly Snippet[];
  readonly prefix: string;
  readonly suffix: string;
}

/** Which prompt shape a model supports, from the special tokens its tokenizer has. */
export interface PromptShape {
  readonly fim: boolean;
  readonly fileSeparator: boolean;
  readonly endOfText: boolean;
}

export function promptShapeOf(specialTokens: ReadonlySet<SpecialTokenRole>): PromptShape {
  return {
    fim: specialTokens.has('fimPrefix') && specialTokens.has('fimSuffix') && specialTokens.has('fimMiddle'),
    fileSeparator: specialTokens.has('fileSeparator'),
    endOfText: specialTokens.has('endOfText'),
  };
}

export function buildPrompt(input: PromptInput, shape: PromptShape, fimOrder: FimOrder = DEFAULT_FIM_ORDER): PromptPart[] {
  const parts: PromptPart[] = snippetParts(input, shape);
  if (!shape.fim) {
    if (shape.fileSeparator) {
      parts.push(special('fileSeparator'), text(`${input.path}\n`));
    }
    parts.push(text(input.prefix));
  } else if (fimOrder === 'psm') {
    parts.push(special('fimPrefix'), text(input.prefix), special('fimSuffix'), text(input.suffix), special('fimMiddle'));
  } else {
    parts.push(special('fimPrefix'), special('fimSuffix'), text(input.suffix), special('fimMiddle'), text(input.prefix));
  }
  return parts.filter((part) => part.kind === 'special' || part.text.length > 0);
}

/** The snippets as separate documents when the model knows file separators, else as comments. */
function snippetParts(input: PromptInput, shape: PromptShape): PromptPart[] {
  const parts: PromptPart[] = [];
  for (const snippet of input.snippets) {
    if (shape.fileSeparator) {
      parts.push(special('fileSeparator'), text(`${snippet.path}\n${snippet.text}\n`));
      if (shape.endOfText) {
        parts.push(special('endOfText'));
      }
    } else {
      parts.push(text(commentedSnippet(snippet, input.languageId)));
    }
  }
  return parts;
}

/** `// Path: a/b.ts` and the snippet's lines, each commented in the current file's language. */
export function commentedSnippet(snippet: Snippet, languageId: string): string {
  const marker = lineCommentFor(languageId);
  const lines = [`Path: ${snippet.path}`, ...snippet.text.split('\n')];
  return lines.map((line) => (line.length > 0 ? `${marker} ${line}` : marker)).join('\n') + '\n\n';
}

const HASH_COMMENT_LANGUAGES = new Set([
  'python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'coffeescript', 'julia', 'elixir', 'nim',
]);
const DASH_COMMENT_LANGUAGES = new Set(['sql', 'lua', 'haskell', 'ada', 'elm']);

export function lineCommentFor(languageId: string): string {
  if (HASH_COMMENT_LANGUAGES.has(languageId)) {
    return '#';
  }
  if (DASH_COMMENT_LANGUAGES.has(languageId)) {
    return '--';
  }
  return '//';
}

function text(value: string): PromptPart {
  return { kind: 'text', text: value };
}

function special(token: SpecialTokenRole): PromptPart {
  return { kind: 'special', token };
}
