/**
 * Whether a `sql` block's text may change state: destructive unless every token of it is accounted
 * for by a statement proven harmless. The statement splitter of the runbook parser is not trusted
 * for this (it guesses statement starts for the editor); this reads the tokens itself and accepts
 * only these forms, each up to where SQL Server's own reading of it must end:
 * - `SELECT …` (also after `WITH cte AS (SELECT …)`), without `INTO`, `FOR`, `OPENROWSET`,
 *   `OPENQUERY`, `OPENDATASOURCE` or any other reserved keyword it does not need;
 * - `SET @v = expression`, `SET <session option> ON|OFF` and the few valued session options;
 * - `DECLARE @v type [= expression]`, `PRINT expression`, `USE db`, `WAITFOR DELAY|TIME 'x'`;
 * - `RESTORE HEADERONLY|FILELISTONLY|LABELONLY|VERIFYONLY FROM …`;
 * - `BACKUP DATABASE … TO …` and `BACKUP LOG … TO … WITH COPY_ONLY`, with options that leave the
 *   database and the backup chain as they were;
 * - `EXEC` of a read-only system procedure (also as the bare first statement of a batch).
 * Anything else — control flow (`IF`, `WHILE`, `BEGIN…END`, `TRY…CATCH`), dynamic SQL
 * (`EXEC (@s)`, `sp_executesql`), `SHUTDOWN`, `DBCC`, `KILL`, `ALTER`, `DROP`, a RESTORE that is
 * not a read, an unterminated string or comment, an odd character — is destructive.
 *
 * SQL Server facts relied on (Microsoft Learn, Transact-SQL reference):
 * - a reserved keyword cannot be an unquoted identifier ("Reserved keywords (Transact-SQL)"), so a
 *   reserved keyword a form does not use must start another statement (or be a syntax error);
 * - a procedure may be called without EXECUTE only as the first statement of a batch ("EXECUTE
 *   (Transact-SQL)");
 * - block comments nest ("Slash star comment (Transact-SQL)");
 * - `BACKUP LOG … WITH NORECOVERY|STANDBY` leaves the database RESTORING or read-only, a log backup
 *   without `COPY_ONLY` takes its records out of the log chain, and `FORMAT` overwrites the media
 *   ("BACKUP (Transact-SQL)").
 * Assumption: `WITH INIT` on a full backup overwrites only the backup sets of the named file; the
 * procedures write a new file, so it is not counted as destructive.
 */
import { type RawToken, tokenizeSql } from '../runbook/sql';
import { hasHiddenCharacters } from '../text';

/** "Reserved keywords (Transact-SQL)", Microsoft Learn. */
const RESERVED = new Set(
  `ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY CASCADE CASE CHECK CHECKPOINT CLOSE CLUSTERED
  COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC DISK DISTINCT DISTRIBUTED DOUBLE DROP
  DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL
  FUNCTION GOTO GRANT GROUP HAVING HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL
  LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON OPEN OPENDATASOURCE OPENQUERY OPENROWSET
  OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE
  REFERENCES REPLICATION RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA SECURITYAUDIT SELECT
  SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS
  SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE UNPIVOT UPDATE
  UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH WITHIN WRITETEXT`.split(/\s+/),
);
/** Words that are not reserved yet start a statement (Service Broker, triggers, THROW), and the batch separator. */
const UNRESERVED_STARTS = new Set(['DISABLE', 'ENABLE', 'MOVE', 'SEND', 'RECEIVE', 'GET', 'THROW', 'GO']);

/** Reserved keywords a query or an expression may use (SELECT, WITH and END under conditions, see `clause`). */
const QUERY_WORDS = new Set(
  `ALL AND ANY AS ASC BETWEEN BY CASE COALESCE COLLATE CONVERT CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DESC DISTINCT
  ELSE END ESCAPE EXCEPT EXISTS FROM FULL GROUP HAVING IN INNER INTERSECT IS JOIN LEFT LIKE NOT NULL NULLIF ON OPTION OR ORDER OUTER OVER
  PERCENT PIVOT RIGHT SELECT SESSION_USER SOME SYSTEM_USER THEN TOP TRY_CONVERT UNION UNPIVOT USER WHEN WHERE WITH WITHIN`.split(/\s+/),
);
const MEDIA_WORDS = new Set(['FROM', 'TO', 'DISK', 'FILE', 'WITH']);
const ARGUMENT_WORDS = new Set(['DEFAULT', 'NULL']);
/** Operators and separators; anything else (`{`, `:`, `$`, `\`, a control character…) is not understood. */
const PUNCTUATION = new Set(['.', ',', '(', ')', '=', '<', '>', '!', '+', '-', '*', '/', '%', '&', '|', '^', '~']);
/** A number as SQL Server reads it; `1SHUTDOWN` would be `1` followed by `SHUTDOWN`. */
const NUMBER = /^(0x[0-9a-f]*|\d+(\.\d*)?(e\d*)?)$/i;
/** Whitespace other than space, tab, CR and LF: the server may not read it as a separator. */
const ODD_SPACE = /[^\S \t\r\n]/;
/** RESTORE forms that only read the backup media. */
const READ_RESTORES = new Set(['HEADERONLY', 'FILELISTONLY', 'LABELONLY', 'VERIFYONLY']);
/** Procedures that only report; callable unqualified or through master/dbo/sys. */
const READ_PROCEDURES = new Set(['sp_who', 'sp_who2', 'sp_helpdb', 'sp_help', 'sp_helpfile', 'sp_spaceused', 'sp_readerrorlog']);
const PROCEDURE_QUALIFIERS = new Set(['master', 'dbo', 'sys', '']);
/** Session options set with ON or OFF ("SET statements (Transact-SQL)"). */
const ON_OFF_OPTIONS = new Set(
  `NOCOUNT XACT_ABORT ANSI_NULLS ANSI_PADDING ANSI_WARNINGS ANSI_NULL_DFLT_ON ANSI_NULL_DFLT_OFF ANSI_DEFAULTS ARITHABORT ARITHIGNORE
  CONCAT_NULL_YIELDS_NULL QUOTED_IDENTIFIER NUMERIC_ROUNDABORT NOEXEC PARSEONLY FMTONLY IMPLICIT_TRANSACTIONS CURSOR_CLOSE_ON_COMMIT
  FORCEPLAN SHOWPLAN_ALL SHOWPLAN_TEXT SHOWPLAN_XML`.split(/\s+/),
);
/** Session options that take one value. */
const VALUED_OPTIONS = new Set(['LOCK_TIMEOUT', 'DEADLOCK_PRIORITY', 'ROWCOUNT', 'TEXTSIZE', 'LANGUAGE', 'DATEFORMAT', 'DATEFIRST']);
const ISOLATION_LEVELS = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SNAPSHOT', 'SERIALIZABLE'];
/** BACKUP options that leave the database, its log chain and other backup media as they were. */
const BACKUP_OPTIONS = new Set(
  `INIT NOINIT COPY_ONLY COMPRESSION NO_COMPRESSION CHECKSUM NO_CHECKSUM CONTINUE_AFTER_ERROR STOP_ON_ERROR STATS NAME DESCRIPTION
  NOSKIP SKIP NOUNLOAD UNLOAD REWIND NOREWIND BUFFERCOUNT MAXTRANSFERSIZE BLOCKSIZE MEDIANAME MEDIADESCRIPTION`.split(/\s+/),
);

/** Whether sending `text` (one or more `GO`-separated batches) may change state. */
export function sqlTextIsDestructive(text: string): boolean {
  if (ODD_SPACE.test(text) || hasHiddenCharacters(text)) return true;
  let broken = false;
  const tokens = tokenizeSql(text, () => (broken = true));
  if (broken || tokens.length === 0) return true;
  const reader = new Reader(tokens, text);
  let batchStart = true;
  while (!reader.done) {
    if (reader.kind() === 'semicolon') {
      reader.i++;
      continue;
    }
    if (reader.word() === 'GO') {
      reader.i++;
      // `GO 5` repeats the batch; the count is on GO's line.
      if (reader.kind() === 'number' && !reader.newlineBefore()) reader.i++;
      batchStart = true;
      continue;
    }
    if (!harmlessStatement(reader, batchStart)) return true;
    batchStart = false;
  }
  return false;
}

class Reader {
  i = 0;
  constructor(
    readonly tokens: readonly RawToken[],
    readonly text: string,
  ) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  at(n = 0): RawToken | undefined {
    return this.tokens[this.i + n];
  }

  kind(n = 0): RawToken['kind'] | undefined {
    return this.at(n)?.kind;
  }

  /** The upper-case word at `i + n`, or '' when it is not a word. */
  word(n = 0): string {
    const t = this.at(n);
    return t?.kind === 'word' ? t.value : '';
  }

  punct(n = 0): string {
    const t = this.at(n);
    return t?.kind === 'punct' ? t.text : '';
  }

  /** Consumes the next token. */
  skip(): true {
    this.i++;
    return true;
  }

  /** Consumes the word (or punctuation) `w` if it is next. */
  eat(w: string): boolean {
    if (this.word() !== w && this.punct() !== w) return false;
    this.i++;
    return true;
  }

  newlineBefore(): boolean {
    const t = this.at();
    const previous = this.at(-1);
    return !!t && !!previous && this.text.slice(previous.end, t.start).includes('\n');
  }
}

const isStatementWord = (w: string): boolean => RESERVED.has(w) || UNRESERVED_STARTS.has(w);
const isName = (t: RawToken | undefined): boolean => !!t && ((t.kind === 'word' && !isStatementWord(t.value)) || t.kind === 'quoted');

/** Consumes one statement proven harmless, or returns false. */
function harmlessStatement(r: Reader, batchStart: boolean): boolean {
  const verb = r.word();
  if (verb === '' || !isStatementWord(verb)) return batchStart && isName(r.at()) && execution(r);
  r.i++;
  switch (verb) {
    case 'SELECT':
      return clause(r, QUERY_WORDS);
    case 'WITH':
      return commonTableExpressions(r) && r.eat('SELECT') && clause(r, QUERY_WORDS);
    case 'SET':
      return setStatement(r);
    case 'DECLARE':
      return declaration(r);
    case 'PRINT':
      return clause(r, QUERY_WORDS);
    case 'USE':
      return isName(r.at()) && r.skip();
    case 'WAITFOR':
      return (r.eat('DELAY') || r.eat('TIME')) && (r.kind() === 'string' || r.kind() === 'variable') && r.skip();
    case 'RESTORE':
      return READ_RESTORES.has(r.word()) && r.skip() && clause(r, MEDIA_WORDS);
    case 'BACKUP':
      return backup(r);
    case 'EXEC':
    case 'EXECUTE':
      return execution(r);
    default:
      return false;
  }
}

/**
 * Consumes tokens up to the end of a statement: a `;`, `GO` or, outside parentheses, a reserved
 * keyword not in `words` (where the next statement starts). Fails on a keyword not in `words`
 * inside parentheses, on punctuation or a number that is not understood and on an unclosed `(`;
 * stops at a `)` it did not open. In a query, `SELECT` is accepted only where a
 * subquery or a set operator puts it, `WITH` only as a table hint or `WITH TIES` (else it starts a
 * CTE), `END` only to close a `CASE`.
 */
function clause(r: Reader, words: ReadonlySet<string>): boolean {
  let depth = 0;
  let cases = 0;
  for (; !r.done; r.i++) {
    const t = r.at()!;
    if (t.kind === 'semicolon') return depth === 0;
    if (t.kind === 'number' && !NUMBER.test(t.text)) return false;
    if (t.kind === 'punct') {
      if (!PUNCTUATION.has(t.text)) return false;
      if (t.text === '(') depth++;
      // A `)` closing a group the caller opened (a CTE's query) ends the clause.
      if (t.text === ')' && --depth < 0) return true;
      continue;
    }
    if (t.kind !== 'word' || r.punct(-1) === '.' || !isStatementWord(t.value)) continue;
    const w = t.value;
    const previous = r.word(-1);
    const allowed =
      words.has(w) &&
      (w !== 'SELECT' || r.punct(-1) === '(' || ['UNION', 'ALL', 'EXCEPT', 'INTERSECT'].includes(previous)) &&
      (w !== 'WITH' || words !== QUERY_WORDS || r.punct(1) === '(' || r.word(1) === 'TIES') &&
      (w !== 'END' || cases > 0);
    if (!allowed) return depth === 0;
    if (w === 'CASE') cases++;
    if (w === 'END') cases--;
  }
  return depth === 0;
}

/** `name [(columns)] AS (SELECT …) [, …]` after WITH. */
function commonTableExpressions(r: Reader): boolean {
  do {
    if (!isName(r.at())) return false;
    r.i++;
    if (r.punct() === '(') {
      r.i++;
      while (isName(r.at()) || r.punct() === ',') r.i++;
      if (!r.eat(')')) return false;
    }
    if (!r.eat('AS') || !r.eat('(') || !r.eat('SELECT') || !clause(r, QUERY_WORDS) || !r.eat(')')) return false;
  } while (r.eat(','));
  return true;
}

function setStatement(r: Reader): boolean {
  if (r.kind() === 'variable') {
    r.i++;
    // `=`, `+=`, `-=`, … then an expression.
    if (PUNCTUATION.has(r.punct()) && r.punct() !== '=' && r.punct(1) === '=') r.i++;
    return r.eat('=') && clause(r, QUERY_WORDS);
  }
  if (ON_OFF_OPTIONS.has(r.word())) {
    r.i++;
    while (r.eat(',')) if (!(ON_OFF_OPTIONS.has(r.word()) && r.skip())) return false;
    return r.eat('ON') || r.eat('OFF');
  }
  if (r.eat('STATISTICS')) {
    if (!['IO', 'TIME', 'XML', 'PROFILE'].includes(r.word())) return false;
    r.i++;
    return r.eat('ON') || r.eat('OFF');
  }
  if (r.eat('TRANSACTION')) {
    if (!r.eat('ISOLATION') || !r.eat('LEVEL')) return false;
    const level = ISOLATION_LEVELS.find((l) => l.split(' ').every((w, n) => r.word(n) === w));
    if (!level) return false;
    r.i += level.split(' ').length;
    return true;
  }
  if (VALUED_OPTIONS.has(r.word())) {
    r.i++;
    r.eat('-');
    const value = r.at();
    if (!value || !(value.kind === 'number' || value.kind === 'string' || value.kind === 'variable' || isName(value))) return false;
    if (value.kind === 'number' && !NUMBER.test(value.text)) return false;
    r.i++;
    return true;
  }
  return false;
}

/** `@v [AS] type[(n)] [= expression]`, `@t TABLE (…)`, comma-separated. */
function declaration(r: Reader): boolean {
  do {
    if (r.kind() !== 'variable') return false;
    r.i++;
    r.eat('AS');
    if (r.eat('TABLE')) {
      if (!balanced(r)) return false;
      continue;
    }
    if (!isName(r.at())) return false;
    r.i++;
    while (r.punct() === '.' && isName(r.at(1))) r.i += 2;
    if (r.punct() === '(' && !balanced(r)) return false;
    if (r.eat('=') && !clause(r, QUERY_WORDS)) return false;
  } while (r.eat(','));
  return true;
}

/**
 * A parenthesised group (a table variable's columns: names, types, constraints, defaults; no
 * statement can run there), without a `;` or `GO` inside.
 */
function balanced(r: Reader): boolean {
  if (!r.eat('(')) return false;
  for (let depth = 1; !r.done; r.i++) {
    if (r.kind() === 'semicolon' || r.word() === 'GO' || (r.kind() === 'punct' && !PUNCTUATION.has(r.punct()))) return false;
    if (r.punct() === '(') depth++;
    if (r.punct() === ')' && --depth === 0) {
      r.i++;
      return true;
    }
  }
  return false;
}

function backup(r: Reader): boolean {
  const object = r.word();
  if ((object !== 'DATABASE' && object !== 'LOG') || !isName(r.at(1))) return false;
  r.i += 2;
  const start = r.i;
  if (!clause(r, MEDIA_WORDS)) return false;
  const options = backupOptions(r.tokens.slice(start, r.i));
  if (options === undefined || !options.every((o) => BACKUP_OPTIONS.has(o))) return false;
  return object === 'DATABASE' || options.includes('COPY_ONLY');
}

/** The option names after a BACKUP's WITH (the first word of each comma-separated option). */
function backupOptions(tokens: readonly RawToken[]): string[] | undefined {
  const at = tokens.findIndex((t) => t.kind === 'word' && t.value === 'WITH');
  if (at < 0) return [];
  const options: string[] = [];
  let expectOption = true;
  for (const t of tokens.slice(at + 1)) {
    if (t.text === ',') expectOption = true;
    else if (expectOption) {
      if (t.kind !== 'word') return undefined;
      options.push(t.value);
      expectOption = false;
    }
  }
  return options;
}

/** `[@rc =] [master.][dbo.]read_procedure args` after EXEC (or bare at a batch's start). */
function execution(r: Reader): boolean {
  if (r.kind() === 'variable' && r.punct(1) === '=') r.i += 2;
  const parts: string[] = [];
  for (;;) {
    const t = r.at();
    if (!isName(t)) return false;
    parts.push((t!.kind === 'word' ? t!.text : t!.value).toLowerCase());
    r.i++;
    if (!r.eat('.')) break;
    while (r.eat('.')) parts.push('');
  }
  const name = parts.pop()!;
  if (!READ_PROCEDURES.has(name) || !parts.every((p) => PROCEDURE_QUALIFIERS.has(p))) return false;
  // Arguments: values, `@name = value`, OUTPUT; no parentheses or keywords.
  for (; !r.done && r.kind() !== 'semicolon' && r.word() !== 'GO'; r.i++) {
    const t = r.at()!;
    if (t.kind === 'punct' && ![',', '=', '-', '.'].includes(t.text)) return false;
    if (t.kind === 'number' && !NUMBER.test(t.text)) return false;
    if (t.kind === 'word' && isStatementWord(t.value) && !ARGUMENT_WORDS.has(t.value)) return true;
  }
  return true;
}
