/**
 * The runbook language server, started by the extension (IPC or stdio) and by tests (stdio).
 * Thin wiring: core parses and checks; this file routes LSP messages, schedules validation
 * (at once for a newly opened document, debounced for edits, abandoned when a newer version
 * arrives) and watches estate files.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeResult,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import { ESTATE_FILES_GLOB, loadPowerShellParser, RUNBOOK_STEPS_METHOD, type RunbookStepsParams, type RunbookStepsResult } from '../core/runbook';
import { complete } from './completion';
import { toDiagnostic, type DiagnosticData } from './convert';
import { EstateStore } from './estates';
import { grammarFiles, keepGrammarOnBaselineCompiler } from '../adapters/grammar';
import { hover } from './hover';
import { bundleOf, localizeProblem } from './localize';
import { RuleDocs } from './ruleDocs';
import { isEstateUri, isRunbookUri, Runbooks, uriToPath } from './runbooks';
import { documentSymbols, runbookSteps } from './symbols';

/**
 * Debounce: long enough to coalesce a burst of keystrokes, short enough to feel immediate. The
 * delay follows what the last validation of the document cost (twice that, between the bounds):
 * a keystroke inside a block of a long runbook is re-checked in a few milliseconds, so waiting the
 * full 20 ms would only add latency; an edit that re-parses everything waits longer.
 */
const DEBOUNCE_MS = 20;
const MIN_DEBOUNCE_MS = 4;
const SOURCE = 'lync-runbook';

keepGrammarOnBaselineCompiler();

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const estates = new EstateStore();
  const docs = new RuleDocs();
  const diagnostic = (p: Parameters<typeof toDiagnostic>[0]) => toDiagnostic(localizeProblem(p, l10n.t), SOURCE, docs.href(p.rule));
  const runbooksReady = loadPowerShellParser(grammarFiles).then((ps) => new Runbooks(ps, estates));
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What the last validation of each document cost (ms). */
  const costs = new Map<string, number>();
  const debounce = (uri: string) => Math.min(DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, 2 * (costs.get(uri) ?? DEBOUNCE_MS)));

  const current = (uri: string) => documents.get(uri);

  async function validate(uri: string): Promise<void> {
    const doc = current(uri);
    if (!doc) return;
    const version = doc.version;
    const stale = () => current(uri)?.version !== version;
    if (isRunbookUri(uri)) {
      const runbooks = await runbooksReady;
      const started = performance.now();
      const analysis = runbooks.analyse(uri, version, doc.getText(), stale);
      costs.set(uri, performance.now() - started);
      if (!analysis || stale()) return;
      await connection.sendDiagnostics({ uri, version, diagnostics: analysis.problems.map(diagnostic) });
    } else if (isEstateUri(uri)) {
      const file = uriToPath(uri);
      if (!file) return;
      await connection.sendDiagnostics({ uri, version, diagnostics: estates.problems(file).filter((p) => !p.file || p.file === file).map(diagnostic) });
    }
  }

  const report = (uri: string) => (err: unknown) => connection.console.error(`validation of ${uri} failed: ${String(err)}`);

  /** Runs `work` for `uri` after `delay`, replacing what was waiting for it; 0 runs it now. */
  function schedule(uri: string, delay = debounce(uri), work = validate): void {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    if (delay === 0) return void work(uri).catch(report(uri));
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      work(uri).catch(report(uri));
    }, delay));
  }

  /**
   * An estate changed: re-read it once and re-check the open runbooks that use it (their parsed
   * text is kept) and the estate's own diagnostics. Timed like a validation, so a burst of edits to
   * a large estate is coalesced.
   */
  async function estateChanged(file: string): Promise<void> {
    const started = performance.now();
    estates.invalidate(file);
    const runbooks = await runbooksReady;
    const uri = pathToFileURL(file).toString();
    if (current(uri)) await validate(uri);
    for (const dependent of runbooks.invalidateDependents(file)) if (current(dependent)) schedule(dependent, 0);
    costs.set(uri, performance.now() - started);
  }
  const estateEdited = (uri: string) => {
    const file = uriToPath(uri);
    return file ? estateChanged(file) : Promise.resolve();
  };

  const withAnalysis = async (uri: string) => {
    const doc = current(uri);
    if (!doc || !isRunbookUri(uri)) return undefined;
    const runbooks = await runbooksReady;
    const analysis = runbooks.analyse(uri, doc.version, doc.getText());
    return analysis && { doc, analysis, estate: analysis.estate.estate };
  };

  const initializeResult: InitializeResult = {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      completionProvider: { triggerCharacters: ['-', '=', ' ', ':'] },
      hoverProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'lync-runbook-server' },
  };

  connection.onInitialize(({ initializationOptions }) => {
    // The client's display language: its bundle, read once before the first diagnostic.
    const bundle = bundleOf(initializationOptions);
    if (bundle) {
      try {
        l10n.config({ fsPath: bundle });
      } catch (err) {
        connection.console.warn(`cannot read the language bundle ${bundle}: ${String(err)}; messages stay in English`);
      }
    }
    return initializeResult;
  });


  connection.onInitialized(() => {
    // Clients that support dynamic registration get estate file events without configuration.
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: ESTATE_FILES_GLOB }] }).catch(() => undefined);
  });

  /** Documents opened and not yet validated: their first diagnostics are not debounced. */
  const opening = new Set<string>();
  documents.onDidOpen(({ document }) => void opening.add(document.uri));

  documents.onDidChangeContent(({ document }) => {
    const delay = opening.delete(document.uri) ? 0 : debounce(document.uri);
    const file = isEstateUri(document.uri) ? uriToPath(document.uri) : undefined;
    if (file) {
      // The buffer is taken now (it is the newest text); parsing and checking wait for the burst to end.
      estates.setBuffer(file, document.getText());
      schedule(document.uri, delay, estateEdited);
    } else schedule(document.uri, delay);
  });

  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    opening.delete(document.uri);
    costs.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    if (isEstateUri(document.uri)) {
      const file = uriToPath(document.uri);
      if (file) {
        estates.setBuffer(file, undefined);
        void estateChanged(file);
      }
    } else void runbooksReady.then((r) => r.forget(document.uri));
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file && (isEstateUri(change.uri) || change.type === FileChangeType.Deleted)) void estateChanged(file);
    }
  });

  connection.onCodeAction(({ textDocument, context }) => {
    const actions: CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const data = diagnostic.data as DiagnosticData | undefined;
      for (const fix of data?.fixes ?? []) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [textDocument.uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
        });
      }
    }
    if (actions.length === 1) actions[0] = { ...actions[0]!, isPreferred: true };
    return actions;
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const a = await withAnalysis(textDocument.uri);
    if (!a) return [];
    const line = a.doc.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return complete(a.analysis.runbook, a.estate, line, position);
  });

  connection.onHover(async ({ textDocument, position }) => {
    const a = await withAnalysis(textDocument.uri);
    if (!a) return null;
    const line = a.doc.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return hover(a.analysis.runbook, a.estate, a.analysis.problems, line, position, (rule) => docs.href(rule)) ?? null;
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const a = await withAnalysis(textDocument.uri);
    return a ? documentSymbols(a.analysis.runbook) : [];
  });

  connection.onRequest(RUNBOOK_STEPS_METHOD, async (params: RunbookStepsParams): Promise<RunbookStepsResult> => {
    const a = await withAnalysis(params.uri);
    return a ? runbookSteps(params.uri, a.analysis.runbook) : { uri: params.uri, steps: [] };
  });

  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
