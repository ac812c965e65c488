/**
 * `copy-log-backups`: every log backup on the share newer than the last copied file (log-shipping
 * names `<db>_<yyyymmddhhmmss>.trn` sort in time order, as the copy job compares them) into the
 * copy folder. The file adapter copies through a temporary name and never overwrites a differing
 * file; the size is checked again here against the listing.
 */
import type { DatabaseName } from '../../commands/values';
import { ActionError } from '../errors';
import { FileError } from '../ports';
import { baseName, type ActionContext } from './context';
import { logShippingFolders } from './folders';

export async function copyLogBackups(ctx: ActionContext, database: DatabaseName): Promise<void> {
  const folders = logShippingFolders(ctx, database);
  const share = folders.share ?? ctx.plan.pool?.logShipping?.share;
  if (!share) throw new ActionError(`The log-shipping share of ${database} is not known (neither in the snapshot nor in the estate).`, 'Declare logShipping.share for the pool in the estate.');
  const lastCopied = baseName(folders.snapshot?.lastCopiedFile ?? '').toLowerCase();
  const options = ctx.signal ? { signal: ctx.signal } : {};
  let listing;
  try {
    listing = await ctx.ports.files.list(share, `${database}_*.trn`, options);
  } catch (e) {
    if (e instanceof FileError && e.failure === 'share-unreachable') {
      throw new ActionError(
        `${e.message}`,
        `If the share is lost with the failed data center, the changes after ${lastCopied || 'the last copied file'} are lost: mark this step skipped to continue with what was copied.`,
      );
    }
    throw e;
  }
  const pending = listing.filter((f) => f.name.toLowerCase() > lastCopied);
  ctx.output(`${pending.length} log backup(s) on ${share} newer than ${lastCopied || '(none copied)'}; copying to ${folders.copyFolder}`);
  let copied = 0;
  for (const file of pending) {
    const result = await ctx.ports.files.copy(file.path, folders.copyFolder, options);
    if (result.size !== file.size) {
      throw new ActionError(`${result.path} has ${result.size} bytes but ${file.path} has ${file.size}: the copy is incomplete.`, 'Copy the file again once the share is stable.');
    }
    if (result.outcome === 'copied') copied++;
    ctx.output(`${file.name}: ${result.outcome === 'copied' ? 'copied' : 'already present, identical'} (${file.size} bytes)`);
  }
  ctx.output(`${copied} copied, ${pending.length - copied} already present`);
}
