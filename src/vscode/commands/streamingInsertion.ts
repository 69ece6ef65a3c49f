import * as vscode from 'vscode';

/**
 * Streams generated text into an editor as ONE undo step.
 *
 * Why edits and not a preview applied at the end: the user sees the code appear where it goes,
 * with the document's real highlighting and layout, and a cancelled run keeps what was written.
 * The first edit opens the undo step (`undoStopBefore: true`), the following ones join it
 * (`undoStopBefore/After: false`), and the last one closes it (`undoStopAfter: true`). VS Code
 * ignores an edit with no changes, so the closing edit must carry text: the stream always holds
 * back its last character until `finish()`.
 *
 * Edits go one at a time; deltas that arrive meanwhile are joined into the next edit. Another
 * change to the document (the user typing) would move the insertion point under the stream, so it
 * stops the stream instead (see `onInterrupted`).
 *
 * A save closes the open undo step (VS Code pushes an undo stop so Undo can go back to the saved
 * text), and auto-save ("afterDelay", the default in VS Code for the Web) saves whenever the
 * model pauses for a second. When a save came during the stream, `finish()` puts the whole text
 * in again as one fresh undo step: it takes the streamed text out within the step left open, then
 * inserts it back in a step of its own, so one Undo still returns to the text before the command.
 */
const EDITED = 'The document was edited during the generation, so the generation stopped there.';

export class StreamingInsertion implements vscode.Disposable {
  private pending = '';
  private inserted = '';
  private edits = 0;
  private next: vscode.Position | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private applying = false;
  private stopped: string | undefined;
  private savedDuringStream = false;
  private readonly eol: string;
  /** The text the stream replaces (the selection), kept for putting the text in again. */
  private readonly replaced: string;
  private readonly changes: vscode.Disposable;
  private readonly saves: vscode.Disposable;
  private readonly interrupted = new vscode.EventEmitter<string>();
  /** Fires once, with the reason, when the stream can no longer write into the document. */
  readonly onInterrupted = this.interrupted.event;

  constructor(
    private readonly editor: vscode.TextEditor,
    /** Replaced by the stream's text: the selection, or an empty range at the cursor. */
    private readonly range: vscode.Range,
  ) {
    this.eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    this.replaced = editor.document.getText(range);
    this.saves = vscode.workspace.onWillSaveTextDocument((event) => {
      if (event.document === editor.document && this.edits > 0) {
        this.savedDuringStream = true;
      }
    });
    this.changes = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === editor.document && event.contentChanges.length > 0 && !this.applying) {
        this.stop(EDITED);
      }
    });
  }

  /** Text written so far, in the document's line endings. */
  get text(): string {
    return this.inserted;
  }

  /** Number of edits applied: all of them are one undo step. */
  get editCount(): number {
    return this.edits;
  }

  append(delta: string): void {
    if (this.stopped !== undefined) {
      return;
    }
    this.pending += delta.replace(/\r/g, '').replace(/\n/g, this.eol);
    this.flushing = this.flushing.then(() => this.flush(false));
  }

  /** Writes what is left and closes the undo step; resolves when the document has it all. */
  async finish(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flush(true));
    await this.flushing;
    if (this.savedDuringStream && this.stopped === undefined && this.edits > 0) {
      await this.insertAgainAsOneStep();
    }
  }

  /** Whether a save split the stream's undo step, so the text was put in again (see above). */
  get reinserted(): boolean {
    return this.savedDuringStream && this.stopped === undefined && this.edits > 0;
  }

  private async insertAgainAsOneStep(): Promise<void> {
    const document = this.editor.document;
    const start = this.range.start;
    const at = (length: number) => document.positionAt(document.offsetAt(start) + length);
    this.applying = true;
    try {
      const removed = await this.editor.edit((builder) => builder.replace(new vscode.Range(start, at(this.inserted.length)), this.replaced), {
        undoStopBefore: false,
        undoStopAfter: false,
      });
      const inserted =
        removed &&
        (await this.editor.edit((builder) => builder.replace(new vscode.Range(start, at(this.replaced.length)), this.inserted), {
          undoStopBefore: true,
          undoStopAfter: true,
        }));
      if (!inserted) {
        this.stop(EDITED);
      }
    } finally {
      this.applying = false;
    }
  }

  dispose(): void {
    this.saves.dispose();
    this.changes.dispose();
    this.interrupted.dispose();
  }

  private async flush(last: boolean): Promise<void> {
    if (this.stopped !== undefined) {
      return;
    }
    const keep = last ? 0 : heldBackLength(this.pending);
    const text = this.pending.slice(0, this.pending.length - keep);
    if (text.length === 0) {
      return;
    }
    this.pending = this.pending.slice(text.length);
    const first = this.edits === 0;
    const start = this.range.start;
    const at = this.next ?? start;
    this.applying = true;
    let applied: boolean;
    try {
      applied = await this.editor.edit(
        (builder) => (first ? builder.replace(this.range, text) : builder.insert(at, text)),
        { undoStopBefore: first, undoStopAfter: last },
      );
    } catch (error) {
      applied = false;
      this.stop(`The editor closed during the generation (${error instanceof Error ? error.message : String(error)}).`);
    } finally {
      this.applying = false;
    }
    if (!applied) {
      this.stop(EDITED);
      return;
    }
    this.edits++;
    this.inserted += text;
    const document = this.editor.document;
    this.next = document.positionAt(document.offsetAt(start) + this.inserted.length);
  }

  private stop(reason: string): void {
    if (this.stopped === undefined) {
      this.stopped = reason;
      this.pending = '';
      this.interrupted.fire(reason);
    }
  }
}

/** The last character, or surrogate pair, or line break: never split one across two edits. */
function heldBackLength(text: string): number {
  if (text.length === 0) {
    return 0;
  }
  if (text.endsWith('\r\n')) {
    return 2;
  }
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xdc00 && last <= 0xdfff && text.length >= 2 ? 2 : 1;
}
