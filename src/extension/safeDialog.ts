/**
 * A modal question whose Enter key is the safe answer. VS Code focuses a modal's first button and
 * adds its own Cancel last, so the choice that changes nothing comes first and the one that acts
 * must be clicked (or reached with Tab): a reflex Enter at 2 a.m. never runs, marks or overrides.
 */
import * as vscode from 'vscode';

export interface SafeQuestion {
  readonly message: string;
  readonly detail: string;
  /** The button that acts ("Run", "Mark Done"…). */
  readonly act: string;
  /** The focused button that changes nothing ("Don't Run"…). */
  readonly safe: string;
}

/** True only when the person clicked `act`. */
export async function askSafely(question: SafeQuestion): Promise<boolean> {
  const safe: vscode.MessageItem = { title: question.safe };
  const act: vscode.MessageItem = { title: question.act };
  return (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, safe, act)) === act;
}
