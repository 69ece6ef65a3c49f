import { buildPrompt, lineCommentFor, type PromptShape } from '../completion/template';
import type { PromptPart } from '../engine';

/**
 * Prompts for the command-palette generations. The model is a base code model, not an
 * instruction-tuned one, so an instruction is given the way code states intent: as a comment
 * right above the cursor's line (GPT-2's zero-shot use). The comment is only in the prompt; the
 * document receives the generated code alone.
 */

/** The text around the cursor (or selection), already cut to the prompt budget. */
export interface CursorContext {
  readonly path: string;
  readonly languageId: string;
  /** Text before the cursor, or before the selection that will be replaced. */
  readonly prefix: string;
  /** Text after the cursor, or after the selection. */
  readonly suffix: string;
}

const BLOCK_COMMENTS: Record<string, readonly [string, string]> = {
  css: ['/*', '*/'],
  scss: ['/*', '*/'],
  less: ['/*', '*/'],
  html: ['<!--', '-->'],
  xml: ['<!--', '-->'],
  markdown: ['<!--', '-->'],
  vue: ['<!--', '-->'],
  svelte: ['<!--', '-->'],
};

/** One comment line holding `text`, in the syntax of the language. */
export function commentLine(languageId: string, text: string): string {
  const block = BLOCK_COMMENTS[languageId];
  const flat = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  return block ? `${block[0]} ${flat} ${block[1]}` : `${lineCommentFor(languageId)} ${flat}`;
}

/**
 * Where generated code for an instruction ends at the latest: two blank lines close whatever
 * unit was asked for (a left-to-right prompt has no suffix to stop at).
 */
export const INSTRUCTION_STOP_SEQUENCES: readonly string[] = ['\n\n\n'];

/**
 * Generate from an instruction: the instruction as a comment on its own line just above the
 * cursor's line, at that line's indentation, then the text of the line up to the cursor. The model
 * continues right at the cursor, so its output goes into the document as it is, whether the
 * cursor starts a line or sits in the middle of an expression (a selection being replaced).
 */
export function instructionPrompt(context: CursorContext, instruction: string, shape: PromptShape): PromptPart[] {
  const lineStart = context.prefix.lastIndexOf('\n') + 1;
  const linePrefix = context.prefix.slice(lineStart);
  const indent = /^[ \t]*/.exec(linePrefix)![0];
  const prefix = `${context.prefix.slice(0, lineStart)}${indent}${commentLine(context.languageId, instruction)}\n${linePrefix}`;
  // A suffix only helps when there is one: an empty suffix asks a FIM model for an empty middle.
  const useFim = shape.fim && context.suffix.trim().length > 0;
  return buildPrompt(
    { path: context.path, languageId: context.languageId, snippets: [], prefix, suffix: context.suffix },
    { ...shape, fim: useFim },
  );
}

/**
 * Continue writing: the text before the cursor, left to right. No suffix on purpose: a FIM
 * prompt asks for the shortest bridge to the suffix, while this command wants long-form text.
 */
export function continuationPrompt(context: CursorContext, shape: PromptShape): PromptPart[] {
  return buildPrompt(
    { path: context.path, languageId: context.languageId, snippets: [], prefix: context.prefix, suffix: '' },
    { ...shape, fim: false },
  );
}
