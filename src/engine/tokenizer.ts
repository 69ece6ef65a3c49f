/**
 * The model's tokenizer, built on @huggingface/tokenizers (the tokenizer library transformers.js
 * itself uses: pure JS, no native code, runs the same in Node and the browser, reads tokenizer.json
 * directly, and its ids match the Python tokenizers on our data).
 *
 * Prompts are text parts and special-token parts. Text parts are encoded by a second tokenizer
 * built from the same tokenizer.json minus its special added tokens, so text that happens to spell
 * `<|endoftext|>` is encoded as ordinary characters and can never inject a special token.
 * Special token ids are always looked up in the tokenizer files, never assumed.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type { PromptPart, SpecialTokenRole } from '../core/engine';
import { EngineError } from './errors';
import type { ModelFolder } from './modelFolder';

/** Spellings of each role across model families (ours and StarCoder/Qwen-style first). */
const ROLE_SPELLINGS: Record<Exclude<SpecialTokenRole, 'endOfText'>, readonly string[]> = {
  fimPrefix: ['<|fim_prefix|>', '<fim_prefix>', '<fim-prefix>'],
  fimSuffix: ['<|fim_suffix|>', '<fim_suffix>', '<fim-suffix>'],
  fimMiddle: ['<|fim_middle|>', '<fim_middle>', '<fim-middle>'],
  fileSeparator: ['<|file_sep|>', '<file_sep>', '<|file_separator|>'],
};
const FALLBACK_EOS_SPELLINGS = ['<|endoftext|>', '</s>', '<|end_of_text|>'];

interface AddedTokenJson {
  readonly id: number;
  readonly content: string;
  readonly special?: boolean;
}

export class ModelTokenizer {
  /** Ids of every special added token (never produced by text parts, stop generation). */
  readonly specialIds: ReadonlySet<number>;
  readonly roleIds: ReadonlyMap<SpecialTokenRole, number>;
  /** Ids the tokenizer's post-processor puts before every sequence (a BOS), possibly none. */
  readonly leadingIds: readonly number[];

  private constructor(
    private readonly full: Tokenizer,
    private readonly textOnly: Tokenizer,
    specialIds: Set<number>,
    roleIds: Map<SpecialTokenRole, number>,
    private readonly tokenizerFile: string,
  ) {
    this.specialIds = specialIds;
    this.roleIds = roleIds;
    this.leadingIds = leadingSpecialIds(full);
  }

  static fromFolder(folder: ModelFolder): ModelTokenizer {
    const tokenizerFile = folder.files.describe('tokenizer.json');
    const json = folder.tokenizerJson;
    if (typeof json.model !== 'object' || json.model === null) {
      throw new EngineError('corrupt-file', `${tokenizerFile} has no "model" section`, tokenizerFile);
    }
    const added = Array.isArray(json.added_tokens) ? (json.added_tokens as AddedTokenJson[]) : [];
    const specialAdded = added.filter((token) => token.special === true);
    let full: Tokenizer;
    let textOnly: Tokenizer;
    try {
      full = new Tokenizer(json, folder.tokenizerConfig);
      textOnly = new Tokenizer(
        { ...json, added_tokens: added.filter((token) => token.special !== true) },
        { ...folder.tokenizerConfig, added_tokens_decoder: {}, additional_special_tokens: [] },
      );
    } catch (error) {
      throw new EngineError('corrupt-file', `Cannot build the tokenizer from ${tokenizerFile}: ${(error as Error).message}`, tokenizerFile);
    }
    const roleIds = new Map<SpecialTokenRole, number>();
    const idOf = (spellings: readonly string[]): number | undefined => {
      for (const spelling of spellings) {
        const token = specialAdded.find((candidate) => candidate.content === spelling);
        if (token) {
          return token.id;
        }
      }
      return undefined;
    };
    for (const [role, spellings] of Object.entries(ROLE_SPELLINGS) as [SpecialTokenRole, string[]][]) {
      const id = idOf(spellings);
      if (id !== undefined) {
        roleIds.set(role, id);
      }
    }
    const eosSpelling = tokenContent(folder.tokenizerConfig.eos_token);
    const eosId = idOf(eosSpelling ? [eosSpelling] : FALLBACK_EOS_SPELLINGS);
    if (eosId !== undefined) {
      roleIds.set('endOfText', eosId);
    }
    return new ModelTokenizer(full, textOnly, new Set(specialAdded.map((token) => token.id)), roleIds, tokenizerFile);
  }

  /** Encodes plain text; special-token spellings in it stay ordinary text. */
  encodeText(text: string): number[] {
    if (text.length === 0) {
      return [];
    }
    const ids = this.textOnly.encode(text, { add_special_tokens: false }).ids;
    for (const id of ids) {
      if (this.specialIds.has(id)) {
        // Would only happen if BPE merges could spell a special token: refuse rather than inject.
        throw new EngineError('tokenizer', `${this.tokenizerFile} encodes text into special token ${id}`, this.tokenizerFile);
      }
    }
    return ids;
  }

  encodePrompt(parts: readonly PromptPart[]): number[] {
    const ids = [...this.leadingIds];
    for (const part of parts) {
      if (part.kind === 'text') {
        ids.push(...this.encodeText(part.text));
      } else {
        ids.push(this.idOfRole(part.token));
      }
    }
    return ids;
  }

  idOfRole(role: SpecialTokenRole): number {
    const id = this.roleIds.get(role);
    if (id === undefined) {
      throw new EngineError('tokenizer', `The tokenizer ${this.tokenizerFile} has no ${role} token`, this.tokenizerFile);
    }
    return id;
  }

  /** Lossless decode (the tokenizer's clean-up of spaces is off when its config says so). */
  decode(ids: readonly number[]): string {
    if (ids.length === 0) return '';
    return this.full.decode(ids as number[], { skip_special_tokens: false });
  }

  /** The largest token id the tokenizer can produce (vocabulary and added tokens). */
  get largestId(): number {
    let largest = -1;
    for (const id of this.full.get_vocab(true).values()) largest = Math.max(largest, id);
    return largest;
  }

  get file(): string {
    return this.tokenizerFile;
  }
}

/** The spelling of a token in tokenizer_config.json (a string or an AddedToken object). */
export function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/** A BOS the post-processor adds (Llama-2-style TemplateProcessing); empty for GPT-2-style tokenizers. */
function leadingSpecialIds(tokenizer: Tokenizer): number[] {
  const probe = 'a';
  const withSpecial = tokenizer.encode(probe, { add_special_tokens: true }).ids;
  const plain = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  for (let start = 0; start + plain.length <= withSpecial.length; start++) {
    if (plain.every((id, index) => withSpecial[start + index] === id)) {
      return withSpecial.slice(0, start);
    }
  }
  return [];
}
