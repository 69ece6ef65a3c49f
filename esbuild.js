// Builds everything: node esbuild.js [--production] [--watch]
//   dist/extension.js  the extension (CommonJS, Node extension host, `vscode` external)
//   dist/worker.js     the inference worker (worker_threads)
//   dist/cli.js        the `local-gpt` CLI
//   dist/ort-*.{mjs,wasm}  the onnxruntime-web runtime files the worker loads at run time
//   dist/web/extension.js  the extension for VS Code in the browser (package.json `browser`)
//   dist/web/worker.js     its inference worker on WebGPU (a browser Web Worker)
//   dist/web/worker-wasm.js  the same worker on WASM, started when the browser has no WebGPU adapter
//   dist/web/ort-*.wasm    the WebGPU worker's onnxruntime-web runtime (the WASM worker's is dist/'s)
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
 * load the .mjs too), so they are copied, not bundled. The Node build (used by the Node worker)
 * loads `node` from dist/. The web workers bundle `ort.webgpu.bundle.min.mjs` and
 * `ort.wasm.bundle.min.mjs`, which embed their .mjs glue and need only their .wasm: the WebGPU one
 * the asyncify .wasm in dist/web/, the WASM one the same .wasm as the Node build, read from dist/
 * (not copied twice into the VSIX). The extension host reads it and hands it to the worker. Only
 * these files go into dist/ and the VSIX.
 */
const ORT_RUNTIME_FILES = {
  node: { dir: 'dist', files: ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] },
  web: { dir: 'dist/web', files: ['ort-wasm-simd-threaded.asyncify.wasm'] },
};
const ORT_TARGETS_BUILT = ['node', 'web'];

const ortBundle = (file) => path.join(root, 'node_modules', 'onnxruntime-web', 'dist', file);
/** onnxruntime-web's WebGPU build (its asyncify WASM provider is the fallback) and plain WASM build. */
const ORT_WEB_BUNDLES = { webgpu: ortBundle('ort.webgpu.bundle.min.mjs'), wasm: ortBundle('ort.wasm.bundle.min.mjs') };

/**
 * Node built-ins that shared desktop code imports but the browser code paths never call (the Node
 * worker thread, model folders on disk): in the browser bundles they are empty modules, as VS
 * Code's web extension guide does with webpack's `resolve.fallback: false`. Any other built-in
 * fails the build.
 */
const NODE_BUILTINS_UNUSED_IN_BROWSER = ['node:fs', 'node:path', 'node:worker_threads'];

const nodeBuiltinsAsEmptyModules = {
  name: 'node-builtins-as-empty-modules',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      NODE_BUILTINS_UNUSED_IN_BROWSER.includes(args.path)
        ? { path: args.path, namespace: 'empty-node-builtin' }
        : { errors: [{ text: `${args.path} is not available in the browser build (imported by ${args.importer})` }] },
    );
    build.onLoad({ filter: /.*/, namespace: 'empty-node-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const browserShared = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  plugins: [nodeBuiltinsAsEmptyModules],
  alias: { 'onnxruntime-web': ORT_WEB_BUNDLES.webgpu },
  // The worker runs from a blob: URL, so onnxruntime-web cannot locate files relative to its own
  // script: it gets the .wasm bytes instead, and must not derive any URL from import.meta.url.
  define: { 'import.meta.url': 'undefined' },
};

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
    // VS Code's web extension host loads the `browser` entry as a CommonJS module.
    ...browserShared,
    entryPoints: ['src/web/extension.ts'],
    outfile: 'dist/web/extension.js',
    format: 'cjs',
    external: ['vscode'],
  },
  ...['webgpu', 'wasm'].map((build) => ({
    // A classic worker: VS Code's web host starts nested workers through importScripts().
    ...browserShared,
    entryPoints: ['src/web/worker/webWorker.ts'],
    outfile: build === 'webgpu' ? 'dist/web/worker.js' : 'dist/web/worker-wasm.js',
    format: 'iife',
    alias: { 'onnxruntime-web': ORT_WEB_BUNDLES[build] },
    define: { ...browserShared.define, LOCAL_GPT_WEB_WORKER_BUILD: JSON.stringify(build) },
  })),
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
      'test/web/*.ts',
      'test/faults/runFaults.ts',
    ],
    outbase: 'test',
    outdir: 'out/test',
    packages: 'external',
    external: ['vscode'],
  },
  {
    // The web suite runs in the browser extension host, like dist/web/extension.js.
    ...browserShared,
    minify: false,
    sourcemap: 'linked',
    entryPoints: ['test/web/suite/index.ts'],
    outfile: 'out/test/web/suite/index.js',
    format: 'cjs',
    external: ['vscode'],
  },
];

function copyOrtRuntimeFiles() {
  const from = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');
  for (const target of ORT_TARGETS_BUILT) {
    const { dir, files } = ORT_RUNTIME_FILES[target];
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (const file of files) {
      const source = path.join(from, file);
      if (!fs.existsSync(source)) {
        throw new Error(`Missing ${source}: is onnxruntime-web@${pkg.dependencies['onnxruntime-web']} installed (npm ci)?`);
      }
      fs.copyFileSync(source, path.join(root, dir, file));
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
