/**
 * Session statements: USE, the SET options clients send (tedious's `set textsize …` batch right
 * after login, SSMS's defaults; only NOCOUNT changes anything), and BEGIN TRAN / COMMIT / ROLLBACK
 * (only @@TRANCOUNT is kept: the lab's changes are not transactional).
 */
import { msg, SqlError } from '../../model/sql-error';
import type { EngineEvent, ExecContext } from '../context';
import type { Recognizer } from './recognizer';

export const useStatement: Recognizer = {
  id: 'use',
  matches: (p) => p.atWord('USE'),
  compile(p) {
    p.expectWord('USE');
    const name = p.identifier();
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const db = x.session.instance.database(name);
      if (!db) throw new SqlError(msg.dbNotExist(name));
      // A database left WITH STANDBY is readable between restores.
      if (db.state === 'RESTORING' && !db.standby) throw new SqlError(msg.dbRestoring(db.name));
      const previous = x.session.database;
      x.session.database = db.name;
      yield { kind: 'database', name: db.name, previous };
      yield { kind: 'message', message: msg.info(5701, `Changed database context to '${db.name}'.`) };
    };
  },
};

/** SET options that take ON/OFF. */
const ON_OFF = new Set(
  `ANSI_NULLS ANSI_NULL_DFLT_ON ANSI_NULL_DFLT_OFF ANSI_PADDING ANSI_WARNINGS ARITHABORT ARITHIGNORE CONCAT_NULL_YIELDS_NULL
   CURSOR_CLOSE_ON_COMMIT IMPLICIT_TRANSACTIONS NUMERIC_ROUNDABORT QUOTED_IDENTIFIER XACT_ABORT NOCOUNT NOEXEC FMTONLY
   STATISTICS ANSI_DEFAULTS`.split(/\s+/),
);
/** SET options that take a value. */
const VALUED = new Set(['TEXTSIZE', 'DATEFIRST', 'DATEFORMAT', 'LANGUAGE', 'LOCK_TIMEOUT', 'DEADLOCK_PRIORITY', 'ROWCOUNT']);
const ISOLATION_LEVELS = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SNAPSHOT', 'SERIALIZABLE'];

async function* nothing(): AsyncGenerator<EngineEvent, void, undefined> {}

export const setStatement: Recognizer = {
  id: 'set',
  matches: (p) => p.atWord('SET'),
  compile(p) {
    p.expectWord('SET');
    const t = p.peek();
    if (t.kind === 'var') throw new SqlError(msg.undeclaredVariable(t.value));
    if (p.acceptWord('TRANSACTION')) {
      p.expectWord('ISOLATION');
      p.expectWord('LEVEL');
      const words = [p.expectWord('READ', 'REPEATABLE', 'SNAPSHOT', 'SERIALIZABLE')];
      if (words[0] === 'READ') words.push(p.expectWord('UNCOMMITTED', 'COMMITTED'));
      else if (words[0] === 'REPEATABLE') words.push(p.expectWord('READ'));
      if (!ISOLATION_LEVELS.includes(words.join(' '))) throw p.error();
      return nothing;
    }
    const option = t.kind === 'word' ? t.value.toUpperCase() : '';
    if (ON_OFF.has(option)) {
      p.next();
      if (option === 'STATISTICS') p.expectWord('IO', 'TIME', 'XML', 'PROFILE');
      const on = p.expectWord('ON', 'OFF') === 'ON';
      if (option === 'NOCOUNT') {
        // Kept: statements that report a row count (INSERT … EXEC) leave it out under NOCOUNT.
        return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
          x.session.nocount = on;
          yield* nothing();
        };
      }
      return nothing;
    }
    if (VALUED.has(option)) {
      p.next();
      const v = p.peek();
      if (v.kind === 'eof' || v.kind === 'go' || (v.kind === 'op' && v.value !== '-')) throw p.error();
      if (p.acceptOp('-')) p.integer();
      else p.next();
      return nothing;
    }
    throw p.error();
  },
};

export const transactionStatement: Recognizer = {
  id: 'transaction',
  matches: (p) => (p.atWord('BEGIN') && (p.atWord('TRAN', 1) || p.atWord('TRANSACTION', 1))) || p.atWord('COMMIT') || p.atWord('ROLLBACK'),
  compile(p) {
    const verb = p.expectWord('BEGIN', 'COMMIT', 'ROLLBACK');
    const hasKeyword = !!p.acceptWord('TRAN', 'TRANSACTION', 'WORK');
    if (verb === 'BEGIN' && !hasKeyword) throw p.error();
    if (hasKeyword && p.atIdentifier()) p.identifier();
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const s = x.session;
      if (verb === 'BEGIN') s.tranCount++;
      else if (s.tranCount === 0) {
        throw new SqlError(verb === 'COMMIT'
          ? { number: 3902, class: 16, state: 1, message: 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.' }
          : { number: 3903, class: 16, state: 1, message: 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.' });
      } else s.tranCount = verb === 'COMMIT' ? s.tranCount - 1 : 0;
      yield { kind: 'done' };
    };
  },
};
