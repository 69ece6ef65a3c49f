// Builds everything: node esbuild.js [--production] [--watch]
//   dist/extension.js  the extension (CommonJS, Node extension host, `vscode` external)
//   dist/worker.js     the inference worker (worker_threads)
//   dist/cli.js        the `local-gpt` CLI
//   dist/ort-*.{mjs,wasm}  the onnxruntime-web runtime files the worker loads at run time
//   out/test/...       unit tests, integration tests, the suite index and the test runners
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = __dirname;
const pkg = require('./package.json');

/**
 * onnxruntime-web loads its WASM runtime as separate files next to the bundle (extra threads
 * load the .mjs too), so they are copied, not bundled. The WASM build (`ort.wasm` bundle, used by
 * the Node worker) loads `node`; the WebGPU build (`ort.webgpu` bundle, for the later web
 * extension) loads `web`. Only these files go into dist/ and the VSIX.
 */
const ORT_RUNTIME_FILES = {
  node: ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'],
  web: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
};
const ORT_TARGETS_BUILT = ['node'];

/**
 * onnxruntime-web's Node build is ESM and calls createRequire(import.meta.url), and finds its
 * runtime files relative to it; in a CommonJS bundle import.meta is empty, so it is defined as the
 * bundle's own file URL.
 */
const IMPORT_META_URL_SHIM = "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;";

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: IMPORT_META_URL_SHIM },
};

/** Keeps the CLI runnable as ./dist/cli.js after every (re)build. */
function makeExecutable(file) {
  return {
    name: 'make-executable',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0 && fs.existsSync(file)) {
          fs.chmodSync(file, 0o755);
        }
      });
    },
  };
}

const contexts = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
  },
  {
    ...shared,
    entryPoints: ['src/worker/nodeWorker.ts'],
    outfile: 'dist/worker.js',
  },
  {
    ...shared,
    entryPoints: ['src/cli/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL_SHIM}` },
    define: { ...shared.define, LOCAL_GPT_VERSION: JSON.stringify(pkg.version) },
    plugins: [makeExecutable('dist/cli.js')],
  },
  {
    // Tests keep npm packages as runtime requires (mocha must be one shared instance) and
    // bundle the project sources they import.
    ...shared,
    minify: false,
    sourcemap: 'linked',
    entryPoints: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/selftest/**/*.test.ts',
      'test/suite/index.ts',
      'test/runner/*.ts',
    ],
    outbase: 'test',
    outdir: 'out/test',
    packages: 'external',
    external: ['vscode'],
  },
];

function copyOrtRuntimeFiles() {
  const from = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');
  for (const target of ORT_TARGETS_BUILT) {
    for (const file of ORT_RUNTIME_FILES[target]) {
      const source = path.join(from, file);
      if (!fs.existsSync(source)) {
        throw new Error(`Missing ${source}: is onnxruntime-web@${pkg.dependencies['onnxruntime-web']} installed (npm ci)?`);
      }
      fs.copyFileSync(source, path.join(root, 'dist', file));
    }
  }
}

async function main() {
  process.chdir(root);
  if (!watch) {
    // Stale files (old source maps, renamed entries) must not reach the VSIX.
    fs.rmSync('dist', { recursive: true, force: true });
    fs.rmSync('out', { recursive: true, force: true });
  }
  fs.mkdirSync('dist', { recursive: true });
  copyOrtRuntimeFiles();
  const built = await Promise.all(contexts.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(built.map((context) => context.watch()));
    return;
  }
  await Promise.all(built.map((context) => context.rebuild()));
  await Promise.all(built.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
