/** `ALTER DATABASE db SET PARTNER OFF` (removes database mirroring; 1416 when not mirrored). */
import { partnerOff } from '../../model/operations';
import type { EngineEvent, ExecContext } from '../context';
import type { Recognizer } from './recognizer';

export const alterDatabasePartnerOff: Recognizer = {
  id: 'alter-database-set-partner-off',
  matches: (p) => p.atWord('ALTER') && p.atWord('DATABASE', 1),
  compile(p) {
    p.expectWord('ALTER');
    p.expectWord('DATABASE');
    const name = p.identifier();
    p.expectWord('SET');
    p.expectWord('PARTNER');
    p.expectWord('OFF');
    return async function* (x: ExecContext): AsyncGenerator<EngineEvent, void, undefined> {
      partnerOff(x.session.model, x.session.instance, name);
      yield { kind: 'done' };
    };
  },
};
