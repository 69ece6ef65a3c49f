import * as path from 'node:path';

/**
 * The package files a JavaScript or TypeScript file imports by relative path (`import … from
 * './x'`, `export … from`, `require('./x')`, `import('./x')`), resolved as bundlers do: the path
 * itself, then with a source extension, then as a folder's index. In import order, each once.
 */

const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]*)\1/g;
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];

export function importedFiles(file: string, text: string, packageFiles: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(RELATIVE_SPECIFIER)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[2]));
    const resolved = candidatesFor(base).find((candidate) => candidate !== file && packageFiles.has(candidate));
    if (resolved !== undefined && !found.includes(resolved)) {
      found.push(resolved);
    }
  }
  return found;
}

function candidatesFor(base: string): string[] {
  // An ESM specifier names the output ('./x.js') of a source that may be './x.ts'.
  const withoutJs = base.replace(/\.[cm]?js$/, '');
  return [base, ...EXTENSIONS.map((extension) => withoutJs + extension), ...EXTENSIONS.map((extension) => `${base}/index${extension}`)];
}
