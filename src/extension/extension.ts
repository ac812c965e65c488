/** Extension entry point: wires the features; heavy work is deferred until it is needed. */
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Features are registered here as they land.
}

export function deactivate(): void {}
