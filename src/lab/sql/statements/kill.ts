/** `KILL spid [WITH STATUSONLY]`: never the caller's own session (6104), never a system one (6107). */
import { msg, SqlError } from '../../model/sql-error';
import type { EngineEvent, ExecContext } from '../context';
import type { Recognizer } from './recognizer';

export const killStatement: Recognizer = {
  id: 'kill',
  matches: (p) => p.atWord('KILL'),
  compile(p) {
    p.expectWord('KILL');
    const t = p.peek();
    if (t.kind === 'string') throw new SqlError({ number: 6112, class: 16, state: 1, message: `Distributed transaction with UOW ${t.value} does not exist.` });
    const spid = p.integer();
    let statusOnly = false;
    if (p.acceptWord('WITH')) {
      p.expectWord('STATUSONLY');
      statusOnly = true;
    }
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      const { instance } = x.session;
      if (spid < 1 || spid > 32767) throw new SqlError(msg.killRange(spid));
      const target = instance.session(spid);
      if (statusOnly) throw new SqlError({ number: 6120, class: 16, state: 1, message: `Status report cannot be obtained. Rollback operation for Process ID ${spid} is not in progress.` });
      if (spid === x.session.spid) throw new SqlError(msg.killOwn());
      if (!target) throw new SqlError(msg.killInactive(spid));
      if (target.system) throw new SqlError(msg.killSystem());
      instance.closeSession(spid);
      target.kill();
      yield { kind: 'done' };
    };
  },
};
