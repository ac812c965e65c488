/**
 * Which file is the workspace's estate: the `lyncRecovery.estate` setting of the first folder
 * that sets it, else the shallowest `lync-estate.yaml` of the first folder that has one.
 */
import * as vscode from 'vscode';
import { ESTATE_DISCOVERY_GLOB, ESTATE_SETTING, parseEstateSetting, preferredEstatePath } from './files';

/** Folders worth skipping when looking for the estate. */
const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_CANDIDATES = 50;

export interface DiscoveredEstate {
  readonly uri: vscode.Uri;
  /** True when the setting named it (a missing file is then worth an error row). */
  readonly fromSetting: boolean;
}

export async function discoverEstate(): Promise<DiscoveredEstate | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const setting = parseEstateSetting(vscode.workspace.getConfiguration(undefined, folder.uri).get<string>(ESTATE_SETTING) ?? '');
    if (!setting) continue;
    const uri = setting.absolute ? vscode.Uri.file(setting.path) : vscode.Uri.joinPath(folder.uri, setting.path);
    return { uri, fromSetting: true };
  }
  for (const folder of folders) {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ESTATE_DISCOVERY_GLOB), EXCLUDE, MAX_CANDIDATES);
    const preferred = preferredEstatePath(found.map((uri) => uri.path));
    const uri = found.find((candidate) => candidate.path === preferred);
    if (uri) return { uri, fromSetting: false };
  }
  return undefined;
}
