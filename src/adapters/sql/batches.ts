/**
 * Splits a T-SQL script on `GO` separators the way sqlcmd and SSMS do: `GO` alone on its line
 * (any case, surrounding blanks, an optional repeat count, an optional `--` comment), and never
 * inside a string literal, a quoted identifier or a block comment. `GO` is not T-SQL: sending it
 * to the server is a syntax error, so runbook `sql` blocks are split here and sent one batch at
 * a time.
 */

const GO_LINE = /^\s*go(?:\s+(\d+))?\s*(?:--.*)?$/i;

type Mode = 'code' | 'string' | 'bracket' | 'quoted' | 'comment';

/** Scanner state carried from one line to the next. */
interface LineState {
  mode: Mode;
  /** Nesting depth of block comments (T-SQL nests them). */
  depth: number;
}

/** Advances the state over one line; a `--` comment or the line's end closes nothing else. */
function scanLine(line: string, state: LineState): void {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    const next = line[i + 1];
    switch (state.mode) {
      case 'code':
        if (c === '-' && next === '-') return;
        if (c === '/' && next === '*') {
          state.mode = 'comment';
          state.depth = 1;
          i++;
        } else if (c === "'") state.mode = 'string';
        else if (c === '[') state.mode = 'bracket';
        else if (c === '"') state.mode = 'quoted';
        break;
      case 'comment':
        if (c === '/' && next === '*') {
          state.depth++;
          i++;
        } else if (c === '*' && next === '/') {
          i++;
          if (--state.depth === 0) state.mode = 'code';
        }
        break;
      default: {
        // Inside a delimited token; a doubled closing character is an escaped one.
        const close = state.mode === 'string' ? "'" : state.mode === 'bracket' ? ']' : '"';
        if (c === close) {
          if (next === close) i++;
          else state.mode = 'code';
        }
      }
    }
  }
}

/** The batches of `script`, in order, without blank ones; a `GO n` repeats its batch n times. */
export function splitBatches(script: string): string[] {
  const batches: string[] = [];
  const state: LineState = { mode: 'code', depth: 0 };
  let current: string[] = [];
  const flush = (times: number) => {
    const text = current.join('\n').trim();
    current = [];
    if (text !== '') for (let n = 0; n < times; n++) batches.push(text);
  };
  for (const line of script.split(/\r?\n/)) {
    const go = state.mode === 'code' ? GO_LINE.exec(line) : null;
    if (go) {
      flush(go[1] === undefined ? 1 : Number(go[1]));
      continue;
    }
    current.push(line);
    scanLine(line, state);
  }
  flush(1);
  return batches;
}
