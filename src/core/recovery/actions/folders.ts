/** The log-shipping share and copy folder: from the journal's snapshot, else from the estate. */
import { parseUncPath, parseWindowsPath, parseFilePath, type FilePath } from '../../commands/values';
import { InvalidValueError } from '../../commands/errors';
import { ActionError } from '../errors';
import { snapshotDataName, type LogShippingSnapshot } from './snapshot';
import type { ActionContext } from './context';

export interface LogShippingFolders {
  readonly share?: FilePath;
  readonly copyFolder: FilePath;
  readonly snapshot?: LogShippingSnapshot;
  /** Where the folders came from, for messages. */
  readonly source: 'snapshot' | 'estate';
}

function path(value: string, what: string, parse: (s: string) => FilePath): FilePath {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof InvalidValueError) throw new ActionError(`The ${what} ${value} is not a usable path: ${e.reason}.`);
    throw e;
  }
}

export function logShippingFolders(ctx: ActionContext, database: string): LogShippingFolders {
  const snapshot = ctx.findData(snapshotDataName(database)) as LogShippingSnapshot | undefined;
  if (snapshot?.configured && snapshot.destinationDirectory) {
    return {
      ...(snapshot.sourceDirectory ? { share: path(snapshot.sourceDirectory, 'log-shipping share', parseFilePath) } : {}),
      copyFolder: path(snapshot.destinationDirectory, 'copy folder', parseFilePath),
      snapshot,
      source: 'snapshot',
    };
  }
  const ls = ctx.plan.pool?.logShipping;
  if (!ls) {
    throw new ActionError(
      `No log-shipping folders are known for ${database}: no snapshot in the journal and no logShipping for ${ctx.plan.pool?.fqdn ?? 'the runbook pool'} in the estate.`,
      'Run snapshot-log-shipping before log shipping is removed, or declare logShipping (share, copyFolder) for the pool in the estate.',
    );
  }
  return { share: path(ls.share, 'log-shipping share', parseUncPath), copyFolder: path(ls.copyFolder, 'copy folder', parseWindowsPath), ...(snapshot ? { snapshot } : {}), source: 'estate' };
}
