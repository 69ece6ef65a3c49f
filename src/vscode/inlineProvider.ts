import * as vscode from 'vscode';
import { EngineError } from '../engine/errors';
import { inlineEnabledFor, type Settings } from '../core/settings';
import { abortSignalFor } from './cancellation';
import type { CompletionEventSink } from './completionEvents';
import { debounce } from './debounce';
import { completionRequestFor, looksBinaryAt, type RecentEdits } from './documentContext';
import type { PipelineSession } from './pipelineSession';
import { debouncedLine, notAskedLine, type RequestFacts, requestLine, type StopReason } from './requestLog';
import { type PendingInsertion, pendingInsertion } from './selectedCompletion';
import { type StreamEnd, SuggestionStream } from './streamingSuggestions';

/** Run by VS Code when a whole suggestion is accepted (item.command); counts the acceptance. */
export const ACCEPTED_COMMAND = 'localGpt.inlineCompletions.accepted';
/** Bound to Escape while a suggestion shows (package.json): hides it and stops it from growing. */
export const DISMISS_COMMAND = 'localGpt.inlineCompletions.dismiss';

/**
 * How long an unanswered generation whose request VS Code cancelled may wait for a newer request
 * to take it over (the pipeline lets a request typed on top of a running generation follow it)
 * before it is stopped, on top of the debounce. VS Code cancels a request at the next keystroke,
 * before it asks again, so stopping at once would throw away work the next request can use.
 */
const ORPHAN_GRACE_MS = 250;

/** What the provider answered, for tests and the status bar. */
export interface InlineAnswer {
  readonly document: vscode.TextDocument;
  readonly position: vscode.Position;
  /** The suggestion handed to VS Code; '' when the provider answered with nothing. */
  readonly text: string;
  /** How long the provider took, debounce included. */
  readonly durationMs: number;
}

export interface InlineProviderDeps {
  readonly events: CompletionEventSink;
  readonly settingsFor: (document: vscode.TextDocument) => Settings;
  readonly pipelines: PipelineSession;
  readonly recentEdits: RecentEdits;
  readonly log: vscode.LogOutputChannel;
}

/**
 * Ghost-text completions from the local model, for every language the settings allow. Each
 * request is debounced (cancellable), then runs the shared CompletionPipeline; the newest request
 * wins, VS Code's cancellation reaches the worker, and a suggestion grows line by line while the
 * model writes (streamingSuggestions.ts). Items are plain insertText + range, so VS Code's
 * accept-word and accept-line work on them.
 */
export class LocalGptInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly requested = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires for every request VS Code makes, before any filtering by settings. */
  readonly onDidRequest = this.requested.event;
  private readonly answered = new vscode.EventEmitter<InlineAnswer>();
  /** Fires each time the provider answers VS Code, whatever the answer (tests, status bar). */
  readonly onDidAnswer = this.answered.event;
  private stream: { stream: SuggestionStream; controller: AbortController } | undefined;
  /** Requests now waiting out their debounce: an orphaned generation waits for them. */
  private debouncing = 0;
  private orphanTimer: NodeJS.Timeout | undefined;
  private requestCount = 0;
  /** Why the provider stopped a stream itself, for its log line. */
  private readonly stops = new WeakMap<SuggestionStream, StopReason>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: InlineProviderDeps) {
    this.disposables = [
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (languageId: string, characters: number) =>
        deps.events.record({ kind: 'accepted', languageId, characters }),
      ),
      vscode.commands.registerCommand(DISMISS_COMMAND, () => this.dismiss()),
      vscode.window.onDidChangeTextEditorSelection(() => this.orphanIfLeft()),
      vscode.window.onDidChangeActiveTextEditor(() => this.orphanIfLeft()),
    ];
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    this.requested.fire(document);
    const started = Date.now();
    let list: vscode.InlineCompletionList | undefined;
    try {
      list = await this.provide(document, position, context, token);
      return list;
    } finally {
      const text = list?.items[0]?.insertText;
      this.answered.fire({ document, position, text: typeof text === 'string' ? text : '', durationMs: Date.now() - started });
    }
  }

  private async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    const settings = this.deps.settingsFor(document);
    // While the suggest widget is open, VS Code shows only ghost text that extends its item.
    const insertion = pendingInsertion(position, context.selectedCompletionInfo);
    if (token.isCancellationRequested) {
      return undefined;
    }
    if (insertion === 'unusable' || !inlineEnabledFor(settings, document.languageId)) {
      const why = insertion === 'unusable' ? "the suggest widget's selected item cannot be extended" : `inline completions are off for ${document.languageId}`;
      this.deps.log.debug(notAskedLine({ id: 0, languageId: document.languageId, where: whereOf(document, position) }, why));
      return undefined;
    }
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    const current = this.reusableStream(document, position, insertion);
    if (current) {
      // A re-query (growth, or VS Code asking again): no new request, no debounce.
      return this.answer(current, token, explicit);
    }
    this.deps.events.record({ kind: 'requested', languageId: document.languageId });
    const linked = abortSignalFor(token);
    const requestId = ++this.requestCount;
    const known = this.deps.pipelines.current();
    const request = known ? completionRequestFor(document, position, this.deps.recentEdits, insertion) : undefined;
    // Typing through a shown suggestion: its rest is cached, and waiting would blank the ghost text.
    const immediate = explicit || (known !== undefined && request !== undefined && known.hasCachedSuggestion(request));
    const debounceMs = immediate ? 0 : settings.inlineCompletions.debounceMs;
    this.debouncing++;
    try {
      const waited = immediate || (await debounce(debounceMs, linked.signal));
      const pipeline = this.deps.pipelines.current();
      const facts = { id: requestId, languageId: document.languageId, where: whereOf(document, position), debounceMs };
      if (!waited) {
        this.deps.log.trace(debouncedLine(facts));
        return undefined;
      }
      if (!pipeline || looksBinaryAt(document, position)) {
        this.deps.log.debug(notAskedLine(facts, pipeline ? 'the text at the cursor looks binary' : 'no model is loaded'));
        return undefined;
      }
      const { stream, controller } = this.start(document, position, insertion, facts);
      const asked = pipeline === known && request ? request : completionRequestFor(document, position, this.deps.recentEdits, insertion);
      stream.run(pipeline, asked, controller.signal);
      return await this.answer(stream, token, explicit);
    } finally {
      this.debouncing--;
      linked.dispose();
    }
  }

  /**
   * The stream already serving this position, while it can still answer: running, or finished
   * with a suggestion. One that was stopped or found nothing is asked again (the pipeline's cache
   * makes that cheap), since an explicit trigger may come after a request that was cut short.
   */
  private reusableStream(document: vscode.TextDocument, position: vscode.Position, insertion: PendingInsertion | undefined): SuggestionStream | undefined {
    const entry = this.stream;
    if (!entry || entry.controller.signal.aborted || !entry.stream.matches(document, position, insertion)) {
      return undefined;
    }
    return !entry.stream.isFinished || entry.stream.text.length > 0 ? entry.stream : undefined;
  }

  private start(
    document: vscode.TextDocument,
    position: vscode.Position,
    insertion: PendingInsertion | undefined,
    facts: Omit<RequestFacts, 'shown' | 'stoppedBy'>,
  ): { stream: SuggestionStream; controller: AbortController } {
    const stream = new SuggestionStream(document, document.version, document.offsetAt(position), document.languageId, insertion, (ended, end) => {
      this.onStreamEnd(ended, end);
      // After VS Code has been handed the final text (answer() resumes on the same end).
      setTimeout(() => this.deps.log.debug(requestLine({ ...facts, shown: ended.wasShown, stoppedBy: this.stops.get(ended) }, end)), 0);
    });
    this.stream = { stream, controller: new AbortController() };
    return this.stream;
  }

  /** Waits until the stream is ready for this query (streamingSuggestions.ts) and hands VS Code its text. */
  private async answer(
    stream: SuggestionStream,
    token: vscode.CancellationToken,
    explicit: boolean,
  ): Promise<vscode.InlineCompletionList | undefined> {
    const linked = abortSignalFor(token);
    try {
      await stream.ready(linked.signal);
    } finally {
      linked.dispose();
    }
    if (token.isCancellationRequested) {
      if (!stream.wasReturned) {
        this.orphan(stream);
      }
      return undefined;
    }
    const text = stream.text;
    if (!stream.wasShown && text.length > 0) {
      this.deps.events.record({ kind: 'shown', languageId: stream.languageId, latencyMs: Date.now() - stream.startedAt, source: stream.source });
    }
    stream.markReturned(text, explicit);
    if (text.length === 0) {
      return undefined;
    }
    const { insertText, range } = stream.item(text);
    const item = new vscode.InlineCompletionItem(insertText, range, {
      command: ACCEPTED_COMMAND,
      title: 'Count the accepted suggestion',
      arguments: [stream.languageId, text.length],
    });
    return new vscode.InlineCompletionList([item]);
  }

  private onStreamEnd(stream: SuggestionStream, end: StreamEnd): void {
    if (end.kind === 'error') {
      if (!(end.error instanceof EngineError && end.error.code === 'disposed')) {
        this.deps.log.error(`Inline completion failed: ${end.error instanceof Error ? end.error.message : String(end.error)}`);
      }
      return;
    }
    const result = end.result;
    if (result?.source === 'generated') {
      const seconds = Math.max(end.durationMs, 1) / 1000;
      this.deps.events.record({
        kind: 'generated',
        languageId: stream.languageId,
        promptTokens: result.promptTokens,
        reusedPromptTokens: result.reusedPromptTokens,
        generatedTokens: result.generatedTokens,
        durationMs: end.durationMs,
        tokensPerSecond: result.generatedTokens / seconds,
      });
    }
  }

  /**
   * Stops the newest stream once no newer request is on its way to take it over: VS Code
   * dropped its request, or the cursor left its suggestion. A newer stream needs no help: the
   * pipeline stops or joins the older generation itself.
   */
  private orphan(stream: SuggestionStream): void {
    clearTimeout(this.orphanTimer);
    const settle = () => {
      const entry = this.stream;
      if (entry?.stream !== stream || stream.isFinished || stream.isAtCursor()) {
        return;
      }
      if (this.debouncing > 0) {
        this.orphanTimer = setTimeout(settle, ORPHAN_GRACE_MS);
        return;
      }
      this.stops.set(stream, 'orphaned');
      entry.controller.abort();
    };
    const debounceMs = this.deps.settingsFor(stream.document).inlineCompletions.debounceMs;
    this.orphanTimer = setTimeout(settle, debounceMs + ORPHAN_GRACE_MS);
  }

  private orphanIfLeft(): void {
    const stream = this.stream?.stream;
    if (stream?.wasReturned && !stream.isFinished && !stream.isAtCursor()) {
      this.orphan(stream);
    }
  }

  private async dismiss(): Promise<void> {
    const entry = this.stream;
    if (entry) {
      entry.stream.dismiss();
      this.stops.set(entry.stream, 'dismissed');
      entry.controller.abort();
    }
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
  }

  dispose(): void {
    clearTimeout(this.orphanTimer);
    if (this.stream) {
      this.stops.set(this.stream.stream, 'disposed');
      this.stream.controller.abort();
    }
    this.requested.dispose();
    this.answered.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}

/** `path:line:column` of a request, for the log. */
function whereOf(document: vscode.TextDocument, position: vscode.Position): string {
  return `${vscode.workspace.asRelativePath(document.uri, false)}:${position.line + 1}:${position.character + 1}`;
}
