/** Offsets ↔ positions for one text, and small range helpers. */
import type { Position, Range } from '../text';

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[];

  constructor(readonly text: string, starts?: number[]) {
    if (starts) this.starts = starts;
    else {
      this.starts = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /**
   * The index of `text`, which is this index's text with an edit inside line `line` that adds or
   * removes no line break and changes its length by `delta`.
   */
  editedLine(text: string, line: number, delta: number): LineIndex {
    const starts = this.starts.slice();
    for (let i = line + 1; i < starts.length; i++) starts[i]! += delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The line's text without its line break. */
  line(n: number): string {
    const start = this.starts[n] ?? this.text.length;
    const next = this.starts[n + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  offsetOf(p: Position): number {
    return (this.starts[p.line] ?? this.text.length) + p.character;
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }
}

export const range = (line: number, start: number, endLine: number, end: number): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});

export const lineRange = (line: number, start: number, end: number): Range => range(line, start, line, end);

/** Shift a range computed relative to a block (line 0 = the block's first line) into the document. */
export const shift = (r: Range, lineOffset: number, columnOffset: number): Range => ({
  start: { line: r.start.line + lineOffset, character: r.start.character + columnOffset },
  end: { line: r.end.line + lineOffset, character: r.end.character + columnOffset },
});

export const contains = (outer: Range, p: Position): boolean =>
  (p.line > outer.start.line || (p.line === outer.start.line && p.character >= outer.start.character)) &&
  (p.line < outer.end.line || (p.line === outer.end.line && p.character <= outer.end.character));

