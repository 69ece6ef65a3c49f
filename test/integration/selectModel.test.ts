import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dismissQuickInput } from './commandTestSupport';
import { repoModel } from './inlineTestSupport';
import { activatedApi } from './extension';

const config = () => vscode.workspace.getConfiguration('localGpt');

describe('Select Model command', () => {
  let scratch: string;
  let before: unknown;

  beforeEach(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lgc-model-'));
    before = config().inspect('model.path')?.globalValue;
    await activatedApi();
  });

  afterEach(async () => {
    await config().update('model.path', before, vscode.ConfigurationTarget.Global);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function selectExpectingError(folder: string): Promise<string> {
    const result = await vscode.commands.executeCommand<{ error?: string }>('localGpt.selectModel', vscode.Uri.file(folder));
    assert.ok(result.error, `an error for ${folder}: ${JSON.stringify(result)}`);
    assert.equal(config().inspect('model.path')?.globalValue, before, 'the setting is unchanged');
    return result.error;
  }

  it('refuses an empty folder, naming config.json', async () => {
    const error = await selectExpectingError(scratch);
    assert.ok(error.includes(path.join(scratch, 'config.json')), error);
    assert.match(error, /not a usable model folder/);
  });

  it('refuses a folder without ONNX weights, naming the file it expected', async () => {
    fs.writeFileSync(path.join(scratch, 'config.json'), '{"model_type": "llama"}');
    fs.writeFileSync(path.join(scratch, 'tokenizer.json'), '{}');
    const error = await selectExpectingError(scratch);
    assert.ok(error.includes(path.join(scratch, 'onnx', 'model_quantized.onnx')), error);
  });

  it('refuses a corrupt tokenizer.json, naming it', async () => {
    fs.writeFileSync(path.join(scratch, 'config.json'), '{"model_type": "llama"}');
    fs.writeFileSync(path.join(scratch, 'tokenizer.json'), '{"truncated": ');
    const error = await selectExpectingError(scratch);
    assert.ok(error.includes(path.join(scratch, 'tokenizer.json')) && /not valid JSON/.test(error), error);
  });

  it('switches to a valid folder and persists it in the machine-scoped user setting', async function () {
    const model = repoModel('lgc-fixture');
    if ('missing' in model) {
      this.skip();
      return;
    }
    const result = await vscode.commands.executeCommand<{ modelPath: string; onnxFile: string }>('localGpt.selectModel', vscode.Uri.file(model.dir));
    assert.deepEqual(result, { modelPath: model.dir, onnxFile: 'onnx/model_quantized.onnx' });
    assert.equal(config().inspect('model.path')?.globalValue, model.dir);
  });

  it('opens a folder picker without an argument; dismissing it changes nothing', async () => {
    assert.equal(await dismissQuickInput(vscode.commands.executeCommand('localGpt.selectModel')), undefined);
    assert.equal(config().inspect('model.path')?.globalValue, before);
  });
});
