/** Offsets of a text to LSP positions; the line table is built on first use, when a range is asked for. */
import { LineCounter } from 'yaml';
import type { Position, Range } from '../text';

export class TextPositions {
  private counter?: LineCounter;

  constructor(private readonly text: string) {}

  position(offset: number): Position {
    const { line, col } = this.lines().linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: line - 1, character: col - 1 };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The part of `start…end` on the line of `start`: for a problem about a whole multi-line block. */
  firstLineRange(start: number, end: number): Range {
    let lineEnd = this.text.indexOf('\n', start);
    if (lineEnd === -1) lineEnd = this.text.length;
    if (this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return this.range(start, Math.min(end, Math.max(start, lineEnd)));
  }

  private lines(): LineCounter {
    if (!this.counter) {
      this.counter = new LineCounter();
      this.counter.addNewLine(0);
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.counter.addNewLine(i + 1);
    }
    return this.counter;
  }
}
