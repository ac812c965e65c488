/**
 * The built server over stdio: diagnostic codes link to the rule pages, hover says per parameter set
 * whether a parameter is mandatory, bare-word lists are no syntax error, and `.yml` estates are
 * estates (their own diagnostics, the runbooks that name them, file events).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, FileChangeType, HoverRequest, type Diagnostic, type Hover } from 'vscode-languageserver-protocol/node';
import { openWorkspace, ROOT, type TestClient, type TestWorkspace } from './client';

let client: TestClient;
let dir: string;
let estateFile: string;
let uri: string;

const RUNBOOK = `---
runbook: persistent-chat-failover
estate: ./lync-estate.yml
pool: atl-gc-001.litwareinc.com
---

# Fail over

## Fail the pool over {#fail-over}

\`\`\`powershell
Get-CsPersistentChatState | Select-Object Identity, PoolState
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"
$state = Get-CsPersistentChatState
Set-CsPersistentChatState -Instance $state -PoolState FailedOver
\`\`\`
`;

const lineOf = (needle: string) => RUNBOOK.split('\n').findIndex((l) => l.includes(needle));
const hoverText = async (line: number, character: number) => {
  const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
  return h ? JSON.stringify(h.contents) : '';
};
/** The page a diagnostic's code links to: a `file:` URL of a page that exists. */
const page = (d: Diagnostic) => {
  assert.ok(d.codeDescription, `${String(d.code)} has a codeDescription`);
  const file = fileURLToPath(d.codeDescription.href);
  assert.ok(fs.existsSync(file), file);
  return path.relative(ROOT, file).split(path.sep).join('/');
};

let workspace: TestWorkspace;

before(async () => {
  workspace = await openWorkspace('lync-estate.yml', RUNBOOK);
  ({ client, dir, estateFile, uri } = workspace);
});

after(async () => {
  await workspace.dispose();
});

test('every diagnostic code links to its rule page in docs/rules', async () => {
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'pool-state-missing'));
  assert.ok(d.diagnostics.length > 0);
  for (const diagnostic of d.diagnostics) assert.equal(page(diagnostic), `docs/rules/${String(diagnostic.code)}.md`);
});

test('a runbook naming a .yml estate is checked against it; a bare-word list is no syntax error', async () => {
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'pool-state-missing'));
  const codes = d.diagnostics.map((x) => x.code);
  assert.ok(!codes.includes('estate-unavailable'), JSON.stringify(d.diagnostics));
  assert.ok(!codes.includes('powershell-syntax'), JSON.stringify(d.diagnostics));
});

test('hover: -Instance is mandatory in its parameter set only; a problem links its rule page', async () => {
  const line = lineOf('-Instance');
  const instance = await hoverText(line, RUNBOOK.split('\n')[line]!.indexOf('-Instance') + 2);
  assert.match(instance, /Set-CsPersistentChatState -Instance\*\* \(object, mandatory in parameter set Instance\)/);
  const problem = await hoverText(lineOf('-Identity "service'), 3);
  const link = /\[docs\/rules\/pool-state-missing\.md\]\((file:[^)]+)\)/.exec(problem);
  assert.ok(link, problem);
  assert.ok(fs.existsSync(fileURLToPath(link[1]!)));
});

test('a .yml estate gets its own diagnostics, linked to the estate checks page', async () => {
  const estateUri = pathToFileURL(path.join(dir, 'other-lync-estate.yml')).toString();
  const text = 'estate: 1\nname: x\npools:\n  - fqdn: a.b.com\n    kind: front-end\n    servers: [x.b.com]\n    backupPool: a.b.com\n';
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: estateUri, languageId: 'yaml', version: 1, text } });
  const d = await client.diagnostics(estateUri, (p) => p.diagnostics.length > 0);
  for (const diagnostic of d.diagnostics) {
    assert.match(String(diagnostic.code), /^estate\//);
    assert.equal(page(diagnostic), 'docs/estate-checks.md');
  }
});

test('a change of the .yml estate on disk re-checks the runbook', async () => {
  fs.writeFileSync(estateFile, 'estate: 1\nname: [broken\n');
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(estateFile).toString(), type: FileChangeType.Changed }] });
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'estate-unavailable'));
  assert.match(d.diagnostics.find((x) => x.code === 'estate-unavailable')!.message, /lync-estate\.yml/);
});
