import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseArgs } from '../../src/cli/args';

const root = path.resolve(__dirname, '../../..');
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

describe('CLI', () => {
  it('parses its arguments', () => {
    assert.deepEqual(parseArgs([]), { kind: 'help' });
    assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
    assert.deepEqual(parseArgs(['-v']), { kind: 'version' });
    assert.equal(parseArgs(['complete', 'x']).kind, 'error');
  });

  it('runs as an executable from dist/ and prints the package version', () => {
    const output = execFileSync(path.join(root, 'dist/cli.js'), ['--version'], { encoding: 'utf8' });
    assert.equal(output.trim(), version);
  });

  it('exits with status 2 on unknown arguments', () => {
    assert.throws(
      () => execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'bogus'], { stdio: 'pipe' }),
      (error: { status?: number }) => error.status === 2,
    );
  });
});

describe('inference worker bundle', () => {
  it('starts as a worker thread and reports ready', async () => {
    const worker = new Worker(path.join(root, 'dist/worker.js'));
    try {
      const message = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal((message as { type: string }).type, 'ready');
    } finally {
      await worker.terminate();
    }
  });

  it('has exactly the onnxruntime-web runtime files it loads next to it', () => {
    const ortFiles = fs.readdirSync(path.join(root, 'dist')).filter((file) => file.startsWith('ort-'));
    assert.deepEqual(ortFiles.sort(), ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']);
  });
});
