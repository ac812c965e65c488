/**
 * Provides the `lync-runbook: lint` task of each workspace folder that has runbooks and resolves
 * the ones written in tasks.json. The task runs the bundled CLI with the extension host's own
 * Node.js (`ELECTRON_RUN_AS_NODE` makes VS Code's executable behave as `node`), so nothing has to
 * be installed beside the VSIX.
 */
import * as vscode from 'vscode';
import type { Logger } from '../log';
import { EXCLUDED_GLOB, lintArguments, parseTaskDefinition, RUNBOOK_GLOB, TASK_TYPE, type LintTaskDefinition } from './definition';

const PROBLEM_MATCHER = '$lync-runbook';

export class RunbookTaskProvider implements vscode.TaskProvider, vscode.Disposable {
  readonly #registration: vscode.Disposable;
  readonly #cli: string;
  readonly #log: Logger;

  constructor(extensionUri: vscode.Uri, log: Logger) {
    this.#cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
    this.#log = log;
    this.#registration = vscode.tasks.registerTaskProvider(TASK_TYPE, this);
  }

  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (token.isCancellationRequested) break;
      const files = await this.#runbooks(folder, token);
      if (files.length) tasks.push(this.#task(folder, { type: TASK_TYPE, command: 'lint' }, files));
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task, token: vscode.CancellationToken): Promise<vscode.Task | undefined> {
    const definition = parseTaskDefinition(task.definition);
    if (typeof definition === 'string') {
      this.#log.warn(`tasks.json: a "${TASK_TYPE}" task is ignored: ${definition}`);
      return undefined;
    }
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const files = definition.files ?? (await this.#runbooks(folder, token));
    // The definition object must be the one VS Code gave, or it would not match tasks.json's entry.
    return this.#task(folder, definition, files, task.definition);
  }

  dispose(): void {
    this.#registration.dispose();
  }

  /** The folder's runbooks, relative to it (the CLI prints them so, and the matcher resolves them there). */
  async #runbooks(folder: vscode.WorkspaceFolder, token: vscode.CancellationToken): Promise<string[]> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, RUNBOOK_GLOB), EXCLUDED_GLOB, undefined, token);
    return uris.map((u) => vscode.workspace.asRelativePath(u, false)).sort();
  }

  #task(folder: vscode.WorkspaceFolder, definition: LintTaskDefinition, files: readonly string[], original: vscode.TaskDefinition = definition): vscode.Task {
    const execution = new vscode.ProcessExecution(process.execPath, lintArguments(this.#cli, definition, files), {
      cwd: folder.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const task = new vscode.Task(original, folder, vscode.l10n.t('lint runbooks'), TASK_TYPE, execution, PROBLEM_MATCHER);
    task.group = vscode.TaskGroup.Test;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
    return task;
  }
}
