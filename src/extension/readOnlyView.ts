/**
 * Read-only documents for what the extension shows and nobody edits (dry runs, the guided
 * preflight report): served by a
 * content provider, so closing one never asks to save it. Each showing is a new document (a
 * changed text would otherwise reach an open one asynchronously) in the preview tab beside the
 * editor, which replaces the previous one.
 */
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'lync-view';

export class ReadOnlyViews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #texts = new Map<string, string>();
  #shown = 0;
  readonly #disposables: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, this),
    vscode.workspace.onDidCloseTextDocument((doc) => this.#texts.delete(doc.uri.toString())),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.#texts.get(uri.toString()) ?? '';
  }

  /** A new read-only document `name` (a file name: its extension picks the language) holding `text`. */
  open(name: string, text: string): Thenable<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${name}`, query: `${++this.#shown}` });
    this.#texts.set(uri.toString(), text);
    return vscode.workspace.openTextDocument(uri);
  }

  /** Shows `text` beside the active editor, in the preview tab, as the view `name`. */
  async show(name: string, text: string): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await this.open(name, text), { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
    this.#texts.clear();
  }
}
