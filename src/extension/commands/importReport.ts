/**
 * What the user reads after Import Topology XML…: the failure message with its position, the
 * summary of what is left to complete, and the quick-pick rows for each TODO. No `vscode` here.
 */
import type { SourcePath } from '../../core/estate/model';
import type { TopologyImportError, TopologyTodo } from '../../core/estate/topology';
import type { Range } from '../../core/text';
import type { Translate } from '../translate';

export interface TodoItem {
  readonly label: string;
  readonly description: string;
  readonly range: Range;
}

export function importErrorText(file: string, error: TopologyImportError, t: Translate): string {
  if (error.line === undefined) return t('{0} could not be imported: {1}', file, error.message);
  if (error.column === undefined) return t('{0} could not be imported (line {1}): {2}', file, error.line, error.message);
  return t('{0} could not be imported (line {1}, column {2}): {3}', file, error.line, error.column, error.message);
}

/** Where to put the cursor in the topology file, 0-based. */
export function errorRange(error: TopologyImportError): Range | undefined {
  if (error.line === undefined) return undefined;
  const position = { line: Math.max(0, error.line - 1), character: Math.max(0, (error.column ?? 1) - 1) };
  return { start: position, end: position };
}

export function todoSummary(count: number, file: string, t: Translate): string {
  return count === 1 ? t('1 item needs completing in {0}.', file) : t('{0} items need completing in {1}.', count, file);
}

/** One row per TODO, in file order, each knowing the range to jump to. */
export function todoItems(todos: readonly TopologyTodo[], locate: (path: SourcePath) => Range, t: Translate): TodoItem[] {
  return todos
    .map((todo) => {
      const range = locate(todo.path);
      return { label: todo.message.split(/\r?\n/)[0], description: t('line {0}', range.start.line + 1), range };
    })
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
