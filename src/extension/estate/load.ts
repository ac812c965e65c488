/** Reads the estate file through `workspace.fs` and turns it into what the view shows. */
import * as vscode from 'vscode';
import { checkEstate } from '../../core/estate/checks';
import { parseEstate } from '../../core/estate/load';
import type { EstateSource } from '../../core/estate/model';
import type { EstateView } from '../estateTree/model';
import { describeError, type Logger } from '../log';
import { MAX_ESTATE_BYTES, decodeText, formatSize } from '../../core/text-files';
import { ESTATE_SETTING } from './files';

export interface LoadedEstate {
  readonly view: EstateView;
  /** Turns a node's source path into a range of the file; absent until the file has been parsed. */
  readonly source?: EstateSource;
}

/** Never throws: every failure becomes an error row that says what happened and what to do. */
export async function loadEstate(uri: vscode.Uri, log: Logger): Promise<LoadedEstate> {
  const name = vscode.workspace.asRelativePath(uri);
  const unreadable = (message: string, detail?: string): LoadedEstate => ({
    view: { kind: 'unreadable', message, ...(detail !== undefined && { detail }) },
  });
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return unreadable(vscode.l10n.t('{0} was not found.', name), vscode.l10n.t('Check the {0} setting, or create the file.', ESTATE_SETTING));
    }
    log.error(`Cannot read ${uri.toString()}`, error);
    return unreadable(vscode.l10n.t('{0} could not be read: {1}', name, describeError(error)));
  }
  if (stat.type & vscode.FileType.Directory) {
    return unreadable(vscode.l10n.t('{0} is a folder, not an estate file.', name), vscode.l10n.t('Point the {0} setting at a lync-estate.yaml file.', ESTATE_SETTING));
  }
  // A device or a pipe (`/dev/zero`) would be read until memory runs out.
  if (!(stat.type & vscode.FileType.File)) {
    return unreadable(vscode.l10n.t('{0} is not a regular file (a device or a pipe).', name), vscode.l10n.t('Point the {0} setting at a lync-estate.yaml file.', ESTATE_SETTING));
  }
  if (stat.size > MAX_ESTATE_BYTES) {
    return unreadable(
      vscode.l10n.t('{0} is {1}, too large for an estate file.', name, formatSize(stat.size)),
      vscode.l10n.t('An estate file may be at most {0}. Check that the {1} setting names the estate.', formatSize(MAX_ESTATE_BYTES), ESTATE_SETTING),
    );
  }
  try {
    const text = decodeText(await vscode.workspace.fs.readFile(uri));
    const result = parseEstate(text, uri.toString());
    const problems = result.estate ? [...result.problems, ...checkEstate(result.estate, result.source)] : result.problems;
    log.info(`Loaded ${uri.toString()}: ${result.estate ? `${result.estate.pools.length} pools` : 'not an estate'}, ${problems.length} problems`);
    return { view: { kind: 'loaded', ...(result.estate && { estate: result.estate }), problems }, source: result.source };
  } catch (error) {
    log.error(`Cannot load ${uri.toString()}`, error);
    return unreadable(vscode.l10n.t('{0} could not be loaded: {1}', name, describeError(error)));
  }
}
