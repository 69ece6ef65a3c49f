import { setMostRecent } from './recentMap';

/**
 * Which files may lend text to the prompt. Secrets must never reach the model's context (or the
 * n-gram cache), and huge, minified or binary-looking text is useless as an example and costly
 * to scan, so it is refused after looking at a small sample only.
 */

/** Files larger than this are never used as few-shot sources. */
export const MAX_SOURCE_CHARS = 1_000_000;
/** How much of a file is sampled to decide whether it looks binary or minified. */
const SAMPLE_CHARS = 4096;
/** A sample with more than this share of control characters is treated as binary. */
const MAX_CONTROL_SHARE = 0.05;
/** Code lines longer than this on average mean generated or minified text. */
const MAX_AVERAGE_LINE_CHARS = 300;

const SECRET_NAMES = new Set([
  '.env',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.htpasswd',
  '.pgpass',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'credentials',
  'credentials.json',
  'secrets.json',
  'secrets.yaml',
  'secrets.yml',
]);
const SECRET_EXTENSIONS = ['.pem', '.key', '.p12', '.pfx', '.jks', '.keystore', '.asc', '.gpg', '.kdbx', '.ppk'];
/** `.env.local`, `prod.env` and similar. */
const ENV_FILE_PATTERN = /(^\.env(\.|$))|(\.env$)/;
/** `secret.txt`, `my-credentials.ini`, `api_key`: a secret word in a data file, not in code. */
const SECRET_WORD_PATTERN = /secret|credential|password|passwd|private[-_.]?key|api[-_.]?key|token/;
const DATA_FILE_PATTERN = /(^[^.]+$)|\.(txt|json|ya?ml|ini|conf|cfg|toml|properties|xml|csv)$/;

/** Whether a path names a file that may hold secrets (checked on the base name). */
export function looksLikeSecretPath(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (SECRET_NAMES.has(name) || ENV_FILE_PATTERN.test(name)) {
    return true;
  }
  if (SECRET_WORD_PATTERN.test(name) && DATA_FILE_PATTERN.test(name)) {
    return true;
  }
  return SECRET_EXTENSIONS.some((extension) => name.endsWith(extension));
}

/** Whether a text looks binary: NUL characters or many control characters in its sample. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, SAMPLE_CHARS);
  let control = 0;
  for (let index = 0; index < sample.length; index++) {
    const code = sample.charCodeAt(index);
    if (code === 0) {
      return true;
    }
    // U+FFFD is what a binary file decoded as UTF-8 is full of.
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffd) {
      control++;
    }
  }
  return sample.length > 0 && control / sample.length > MAX_CONTROL_SHARE;
}

/** Whether a text looks minified or generated: very long lines in its sample. */
export function looksMinified(text: string): boolean {
  const sample = text.slice(0, SAMPLE_CHARS);
  if (sample.length < SAMPLE_CHARS) {
    return false;
  }
  let lines = 1;
  for (let index = 0; index < sample.length; index++) {
    if (sample.charCodeAt(index) === 0x0a) {
      lines++;
    }
  }
  return sample.length / lines > MAX_AVERAGE_LINE_CHARS;
}

/**
 * The last verdicts, by path: the snippet selector, the n-gram documents and their tracker each
 * ask about the same open files at every request, and the same text gets the same verdict.
 */
const recentVerdicts = new Map<string, { readonly text: string; readonly reason: string | undefined }>();
/** The texts stay referenced while remembered: as many as the open files the extension reads. */
const MAX_REMEMBERED_VERDICTS = 24;

/** Why a file is refused as a source, or undefined when it may be used. */
export function refusalReason(source: { path: string; text: string }): string | undefined {
  const remembered = recentVerdicts.get(source.path);
  if (remembered?.text === source.text) {
    return remembered.reason;
  }
  const reason = judge(source);
  setMostRecent(recentVerdicts, source.path, { text: source.text, reason }, MAX_REMEMBERED_VERDICTS);
  return reason;
}

function judge(source: { path: string; text: string }): string | undefined {
  if (looksLikeSecretPath(source.path)) {
    return 'secret';
  }
  if (source.text.length > MAX_SOURCE_CHARS) {
    return 'too large';
  }
  if (looksBinary(source.text)) {
    return 'binary';
  }
  if (looksMinified(source.text)) {
    return 'minified';
  }
  return undefined;
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}
