import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EditorGenerationResult } from '../../src/vscode/commands/streamIntoEditor';
import { promptText, ScriptedEngine } from '../unit/core/scriptedEngine';
import { dismissQuickInput, editorWith, nextChange, undo, withCommandEngine, workspaceFileEditor } from './commandTestSupport';
import { withSettings } from './inlineTestSupport';
import { activatedApi } from './extension';

const ORIGINAL = 'function main() {\n  \n}\n';
const CURSOR = ORIGINAL.indexOf('\n}');
const ANSWER = 'const answer = 42;\n  return answer;';

describe('generate and continue commands (scripted engine)', () => {
  before(async () => {
    await activatedApi();
  });

  it('Generate from Prompt streams into the editor at the cursor, and one undo restores the original', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    const engine = new ScriptedEngine(() => ANSWER, 2);
    const result = await withCommandEngine(engine, () =>
      vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'return the answer' }),
    );
    assert.equal(result.inserted, ANSWER);
    assert.equal(result.stopReason, 'eos');
    assert.ok(result.edits > 1, `streamed in several edits (${result.edits})`);
    assert.equal(editor.document.getText(), 'function main() {\n  const answer = 42;\n  return answer;\n}\n');
    const prompt = promptText(engine.generateCalls()[0].prompt);
    assert.match(prompt, /\/\/ return the answer\n {2}$/, 'the instruction is a comment right above the cursor');
    assert.ok(prompt.includes('<fimSuffix>\n}\n'), 'the code after the cursor is the FIM suffix');
    assert.deepEqual(engine.generateCalls()[0].options?.stopSequences, ['\n\n\n'], 'ends at two blank lines at the latest');
    await undo(editor);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('replaces the selection, keeps the prompt in the history, and one undo brings the selection back', async () => {
    const content = 'const total = items.length;\n';
    const editor = await editorWith(content, 'typescript', content.indexOf('items'), content.indexOf(';'));
    const engine = new ScriptedEngine(() => 'sum(items)', 1);
    const result = await withCommandEngine(engine, () =>
      vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'sum the items' }),
    );
    assert.equal(result.inserted, 'sum(items)');
    assert.match(promptText(engine.generateCalls()[0].prompt), /\/\/ sum the items\nconst total = $/, 'the model continues the line at the selection');
    assert.equal(editor.document.getText(), 'const total = sum(items);\n');
    assert.equal((await activatedApi()).commands.history.entries()[0], 'sum the items');
    await undo(editor);
    assert.equal(editor.document.getText(), content);
  });

  it('cancelling mid-stream keeps what was written, stops writing, and one undo restores the original', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    const long = 'x'.repeat(400);
    const engine = new ScriptedEngine(() => long, 25);
    const api = await activatedApi();
    const result = await withCommandEngine(engine, async () => {
      const firstChange = nextChange(editor.document);
      const running = vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'many x' });
      await firstChange;
      assert.equal(api.commands.activity.busy, true, 'counted as generating (the status bar shows it)');
      assert.equal(await vscode.commands.executeCommand('localGpt.cancelGeneration'), true);
      return running;
    });
    assert.equal(result.stopReason, 'cancelled');
    assert.ok(result.inserted.length > 0 && result.inserted.length < long.length, `${result.inserted.length} characters written`);
    const text = editor.document.getText();
    assert.equal(text, ORIGINAL.slice(0, CURSOR) + result.inserted + ORIGINAL.slice(CURSOR), 'the document holds exactly what was reported');
    assert.equal(engine.generateCalls()[0].stoppedBy, 'abort', 'the engine was told to stop');
    assert.equal(api.commands.activity.busy, false);
    assert.equal(await vscode.commands.executeCommand('localGpt.cancelGeneration'), false, 'nothing left to cancel');
    await undo(editor);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('an auto-save in the middle of the stream does not split the undo step', async () => {
    const files = vscode.workspace.getConfiguration('files');
    const previous = [files.inspect('autoSave')?.globalValue, files.inspect('autoSaveDelay')?.globalValue];
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    await files.update('autoSaveDelay', 200, vscode.ConfigurationTarget.Global);
    try {
      const editor = await workspaceFileEditor('src/autosaved.ts', ORIGINAL);
      editor.selection = new vscode.Selection(editor.document.positionAt(CURSOR), editor.document.positionAt(CURSOR));
      const saved = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidSaveTextDocument((document) => {
          if (document === editor.document) {
            listener.dispose();
            resolve();
          }
        });
      });
      const engine = new ScriptedEngine(() => '');
      // The model pauses after the first line until auto-save has saved the half-written file.
      engine.generate = async (_prompt, _options, onDelta) => {
        onDelta?.('const first = 1;');
        await saved;
        onDelta?.('\n  const second = 2;');
        return { text: 'const first = 1;\n  const second = 2;', promptTokens: 9, generatedTokens: 12, reusedPromptTokens: 0, stopReason: 'eos' };
      };
      const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'two constants' }));
      assert.equal(result.reinserted, true, 'the save split the step, so the text went in again');
      assert.equal(editor.document.getText(), 'function main() {\n  const first = 1;\n  const second = 2;\n}\n');
      await undo(editor);
      assert.equal(editor.document.getText(), ORIGINAL, 'one undo goes back to the text before the command');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await files.update('autoSave', previous[0], vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', previous[1], vscode.ConfigurationTarget.Global);
    }
  });

  it('stops when the user edits the document during the stream, leaving the user edit in place', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    const result = await withCommandEngine(new ScriptedEngine(() => 'y'.repeat(400), 25), async () => {
      const firstChange = nextChange(editor.document);
      const running = vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'many y' });
      await firstChange;
      await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '// edited\n'));
      return running;
    });
    assert.equal(result.stopReason, 'interrupted');
    assert.match(result.interruption ?? '', /edited/);
    assert.ok(editor.document.getText().startsWith('// edited\nfunction main() {\n  y'));
  });

  it('reports a generation taken over by another request (newest wins) as interrupted, keeping what was written', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    const engine = new ScriptedEngine(() => '');
    engine.generate = async (_prompt, _options, onDelta) => {
      onDelta?.('let partial');
      return { text: 'let partial', promptTokens: 10, generatedTokens: 2, reusedPromptTokens: 0, stopReason: 'cancelled' };
    };
    const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'x' }));
    assert.equal(result.stopReason, 'interrupted');
    assert.match(result.interruption ?? '', /inline completion/);
    assert.equal(editor.document.getText(), ORIGINAL.slice(0, CURSOR) + 'let partial' + ORIGINAL.slice(CURSOR));
    await undo(editor);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('writes line breaks in the document\'s own style (CRLF)', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    await editor.edit((builder) => builder.setEndOfLine(vscode.EndOfLine.CRLF));
    const crlfOriginal = editor.document.getText();
    editor.selection = new vscode.Selection(editor.document.positionAt(crlfOriginal.indexOf('\r\n}')), editor.document.positionAt(crlfOriginal.indexOf('\r\n}')));
    const result = await withCommandEngine(new ScriptedEngine(() => 'a();\n  b();\r\n  c();', 1), () =>
      vscode.commands.executeCommand<EditorGenerationResult>('localGpt.generateFromPrompt', { prompt: 'three calls' }),
    );
    assert.equal(result.inserted, 'a();\r\n  b();\r\n  c();');
    assert.equal(editor.document.getText(), 'function main() {\r\n  a();\r\n  b();\r\n  c();\r\n}\r\n');
    await undo(editor);
    assert.equal(editor.document.getText(), crlfOriginal);
  });

  it('Continue from Cursor writes long-form up to localGpt.prompt.maxTokens tokens, left to right', async () => {
    const content = 'const greeting = ';
    const editor = await editorWith(content, 'typescript', content.length);
    const engine = new ScriptedEngine(() => '"hello, world";\nconsole.log(greeting);\n', 1);
    const restore = await withSettings({ 'prompt.maxTokens': 14 });
    try {
      const result = await withCommandEngine(engine, () => vscode.commands.executeCommand<EditorGenerationResult>('localGpt.continueFromCursor'));
      assert.equal(result.generatedTokens, 14, 'the scripted engine writes one character per token');
      assert.equal(editor.document.getText(), 'const greeting = "hello, world"');
      const call = engine.generateCalls()[0];
      assert.equal(call.options?.maxNewTokens, 14);
      assert.ok(!promptText(call.prompt).includes('<fimSuffix>'), 'no FIM: long-form continuation');
      await undo(editor);
      assert.equal(editor.document.getText(), content);
    } finally {
      await restore();
    }
  });

  it('reports a clear error and changes nothing when the engine fails', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    const failing = new ScriptedEngine(() => '');
    failing.generate = async () => {
      throw new Error('model exploded');
    };
    const result = await withCommandEngine(failing, () => vscode.commands.executeCommand<{ error: string }>('localGpt.continueFromCursor'));
    assert.equal(result.error, 'model exploded');
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('asks for the prompt when none is given; dismissing it changes nothing', async () => {
    const editor = await editorWith(ORIGINAL, 'typescript', CURSOR);
    assert.equal(await dismissQuickInput(vscode.commands.executeCommand('localGpt.generateFromPrompt')), undefined);
    assert.equal(editor.document.getText(), ORIGINAL);
  });
});
