/**
 * Cursor over tokens with the helpers every statement recognizer uses: case-insensitive keywords,
 * optionally bracketed multi-part names, string/number/variable literals, and SQL Server's syntax
 * errors (102 "Incorrect syntax near 'x'.", 156 for reserved keywords).
 */
import { msg, SqlError } from '../model/sql-error';
import type { Token } from './tokens';
import { MAX, type SqlType, T } from './types';

/** Reserved words that cannot be bare identifiers (a subset of T-SQL's list: the ones the lab meets). */
const RESERVED = new Set(
  `ADD ALL ALTER AND ANY AS ASC BACKUP BEGIN BETWEEN BY CASE CAST CHECK COMMIT CONVERT CREATE CROSS DATABASE DECLARE DEFAULT DELETE DESC
   DISK DISTINCT DROP ELSE END EXEC EXECUTE EXISTS FILE FROM FULL GROUP HAVING IF IN INNER INSERT INTO IS JOIN KILL LEFT LIKE NOT NULL
   ON OR ORDER OUTER PROCEDURE PROC RESTORE RETURN RIGHT ROLLBACK SELECT SET TABLE THEN TO TOP TRAN TRANSACTION UNION UPDATE USE
   VALUES WHEN WHERE WITH`.split(/\s+/),
);

export function isReserved(word: string): boolean {
  return RESERVED.has(word.toUpperCase());
}

export class Parser {
  #pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  get position(): number {
    return this.#pos;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.#pos + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.#pos++;
    return t;
  }

  /** The current token is the unquoted word `word` (any case). */
  atWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.value.toUpperCase() === word;
  }

  acceptWord(...words: string[]): string | undefined {
    const t = this.peek();
    const hit = words.find((w) => this.atWord(w));
    if (hit) this.next();
    return hit ? t.value.toUpperCase() : undefined;
  }

  expectWord(...words: string[]): string {
    const hit = this.acceptWord(...words);
    if (!hit) throw this.error();
    return hit;
  }

  atOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === op;
  }

  acceptOp(op: string): boolean {
    if (!this.atOp(op)) return false;
    this.next();
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.error();
  }

  /** End of a statement: `;`, `GO`, end of text. */
  atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.kind === 'go' || this.atOp(';');
  }

  /** The syntax error SQL Server reports at the current token. */
  error(): SqlError {
    const t = this.peek();
    if (t.kind === 'eof' || t.kind === 'go') {
      const prev = this.tokens[this.#pos - 1];
      return new SqlError(msg.syntax(prev ? prev.text : ''));
    }
    if (t.kind === 'word' && isReserved(t.value)) return new SqlError(msg.syntaxKeyword(t.value));
    return new SqlError(msg.syntax(t.text));
  }

  /** An identifier: a non-reserved word or a [bracketed] / "quoted" name. */
  identifier(): string {
    const t = this.peek();
    if (t.kind === 'qident' || (t.kind === 'word' && !isReserved(t.value))) {
      this.next();
      return t.value;
    }
    throw this.error();
  }

  atIdentifier(offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'qident' || (t.kind === 'word' && !isReserved(t.value));
  }

  /** `a`, `a.b`, `a.b.c`, `a..c` (empty part = default schema); returns the parts as written. */
  multipartName(): string[] {
    const parts = [this.identifier()];
    while (this.atOp('.')) {
      this.next();
      if (this.atOp('.')) {
        parts.push('');
        continue;
      }
      parts.push(this.identifier());
    }
    if (parts.length > 4) throw this.error();
    return parts;
  }

  /** A string literal ('…' or N'…'). */
  string(): string {
    const t = this.peek();
    if (t.kind !== 'string') throw this.error();
    this.next();
    return t.value;
  }

  /** An unsigned integer literal. */
  integer(): number {
    const t = this.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw this.error();
    this.next();
    return Number(t.value);
  }

  /** A type name as in CAST(x AS varchar(30)). */
  dataType(): SqlType {
    const name = this.identifier().toLowerCase();
    const args: number[] = [];
    let max = false;
    if (this.acceptOp('(')) {
      if (this.acceptWord('MAX')) max = true;
      else {
        args.push(this.integer());
        if (this.acceptOp(',')) args.push(this.integer());
      }
      this.expectOp(')');
    }
    const len = max ? MAX : (args[0] ?? 30);
    switch (name) {
      case 'varchar':
      case 'char':
        return T.varchar(len);
      case 'nvarchar':
      case 'nchar':
        return T.nvarchar(len);
      case 'sysname':
        return T.sysname;
      case 'int':
      case 'integer':
        return T.int;
      case 'bigint':
        return T.bigint;
      case 'smallint':
        return T.smallint;
      case 'tinyint':
        return T.tinyint;
      case 'bit':
        return T.bit;
      case 'datetime':
      case 'smalldatetime':
      case 'date':
        return T.datetime;
      case 'datetime2':
        return T.datetime2(args[0] ?? 7);
      case 'decimal':
      case 'numeric':
        return T.decimal(args[0] ?? 18, args[1] ?? 0);
      case 'uniqueidentifier':
        return T.guid;
      case 'float':
      case 'real':
        return T.float;
      case 'varbinary':
      case 'binary':
        return { kind: 'varbinary', length: len };
      default:
        throw new SqlError({ number: 243, class: 16, state: 2, message: `Type ${name} is not a defined system type.` });
    }
  }
}
