/**
 * The major version whose RESTORE HEADERONLY result set to ask a server for: read from its
 * `SERVERPROPERTY('ProductVersion')`, because the temp table `tsql.restoreHeaderOnly` fills must
 * match that server's result set exactly (SQL Server 2008 R2, 2012 and 2014 differ).
 */
import * as tsql from '../commands/tsql';
import type { EnginePorts } from './run-types';

export async function headerOnlyMajorVersion(ports: EnginePorts, instanceId: string, signal?: AbortSignal): Promise<number | undefined> {
  const row = (await ports.sql.query(instanceId, tsql.serverIdentity(), signal ? { signal } : {})).recordsets[0]?.[0];
  const version = row?.['product_version'];
  return typeof version === 'string' && version !== '' ? tsql.headerOnlyVersionFor(version) : undefined;
}
