/** Opening files in the editor at a place. */
import * as vscode from 'vscode';
import type { Range } from '../core/text';

export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** Opens `uri` (a real editor tab, not a preview) with `range` selected and revealed. */
export async function openAt(uri: vscode.Uri, range?: Range): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(uri, { preview: false, ...(range && { selection: toVscodeRange(range) }) });
}

/** Whether `uri` exists, without throwing. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
