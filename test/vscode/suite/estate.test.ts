/**
 * The Estate view on the Litware sample (the runner opens a copy of samples/litware as the
 * workspace), walked through the API's tree provider as the view walks it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LyncRecoveryApi } from '../../../src/extension/api';
import { activateApi, isErrorRow, labelHas, renderTree, waitForEstateTree, walkTree, type TreeRow } from './helpers';

const LITWARE = {
  sites: ['Atlanta', 'Dallas'],
  pools: [
    { fqdn: 'atl-cs-001.litwareinc.com', site: 'Atlanta' },
    { fqdn: 'dal-cs-001.litwareinc.com', site: 'Dallas' },
    { fqdn: 'atl-gc-001.litwareinc.com', site: 'Atlanta' },
  ],
  persistentChatPool: 'atl-gc-001.litwareinc.com',
  databases: ['mgc', 'mgccomp'],
} as const;

function estateFile(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open (the runner opens a copy of samples/litware)');
  return vscode.Uri.joinPath(folder.uri, 'lync-estate.yaml');
}

const find = (rows: readonly TreeRow[], text: string, under?: string): TreeRow | undefined =>
  rows.find((r) => labelHas(r.label, text) && (under === undefined || r.path.slice(0, -1).some((p) => labelHas(p, under))));

/** What of Litware the tree does not show; empty when it shows all of it. */
function missingLitware(rows: readonly TreeRow[]): string[] {
  return [
    ...LITWARE.sites.filter((site) => !find(rows, site)).map((site) => `site ${site}`),
    ...LITWARE.pools.filter((p) => !find(rows, p.fqdn, p.site)).map((p) => `pool ${p.fqdn} under ${p.site}`),
    ...LITWARE.databases.filter((db) => !find(rows, db, LITWARE.persistentChatPool))
      .map((db) => `database ${db} under ${LITWARE.persistentChatPool}`),
  ];
}

const showsLitware = (rows: readonly TreeRow[]): boolean => missingLitware(rows).length === 0 && !rows.some(isErrorRow);

suite('Estate view (Litware sample)', () => {
  let api: LyncRecoveryApi;
  let original: Uint8Array | undefined;

  suiteSetup(async () => {
    api = await activateApi();
    await api.estateReady();
  });

  suiteTeardown(async () => {
    // Leave the workspace as found even when a test failed half-way.
    if (original) await vscode.workspace.fs.writeFile(estateFile(), original);
  });

  test('shows the Litware sites, pools and the Persistent Chat pool\'s databases', async () => {
    const rows = await walkTree(api.estateTree);
    assert.deepEqual(missingLitware(rows), [], `the tree was:\n${renderTree(rows)}`);
    assert.equal(rows.filter(isErrorRow).length, 0, `no error rows expected; the tree was:\n${renderTree(rows)}`);
  });

  test('a broken lync-estate.yaml shows an error row; restoring the file restores the tree', async () => {
    const uri = estateFile();
    original = await vscode.workspace.fs.readFile(uri);
    const broken = `${new TextDecoder().decode(original)}\npools: [unclosed\n`;

    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(broken));
    await waitForEstateTree(api, 'an error row after breaking lync-estate.yaml', (rows) => rows.some(isErrorRow));

    await vscode.workspace.fs.writeFile(uri, original);
    original = undefined;
    await waitForEstateTree(api, 'the Litware tree after restoring lync-estate.yaml', showsLitware);
  });
});
