import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { RUNBOOK_STEPS_METHOD, type RunbookStepsParams, type RunbookStepsResult } from '../../src/core/runbook/protocol';
import { openWorkspace, type TestClient, type TestWorkspace } from './client';

let client: TestClient;
let dir: string;
let estateFile: string;
let uri: string;
let version = 1;

const RUNBOOK = `---
runbook: persistent-chat-failover
estate: ./lync-estate.yaml
pool: atl-gc-001.litwareinc.com
---

# Fail over

## Recover mgc {#recover}

\`\`\`lync
recover-database database=mgc on=backup
\`\`\`

## Fail the pool over {#fail-over}

\`\`\`powershell
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"
\`\`\`
`;

let workspace: TestWorkspace;

before(async () => {
  workspace = await openWorkspace('lync-estate.yaml', RUNBOOK);
  ({ client, dir, estateFile, uri } = workspace);
});

after(async () => {
  await workspace.dispose();
});

test('diagnostics: a missing -PoolState is reported on the cmdlet', async () => {
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'pool-state-missing'));
  const problem = d.diagnostics.find((x) => x.code === 'pool-state-missing')!;
  assert.equal(problem.range.start.line, 17);
  assert.equal(problem.source, 'lync-runbook');
});

test('code action: add -PoolState FailedOver, applied as an incremental edit, clears the diagnostic', async () => {
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'pool-state-missing'));
  const diagnostic = d.diagnostics.find((x) => x.code === 'pool-state-missing')!;
  const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  const action = actions?.find((a) => 'title' in a && a.title === 'Add -PoolState FailedOver');
  assert.ok(action && 'edit' in action && action.edit?.changes);
  const edits = action.edit.changes[uri] as TextEdit[];
  version++;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })) });
  const after = await client.diagnostics(uri, (p) => p.version === version);
  assert.deepEqual(after.diagnostics.filter((x) => String(x.code).startsWith('pool-state')), []);
});

test('completion: parameters of the cmdlet, enum values and Persistent Chat pools', async () => {
  const edit = async (line: string) => {
    version++;
    const text = RUNBOOK.replace('Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com"', line);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return { line: 17, character: line.length };
  };
  const typingParameter = await edit('Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -Po');
  const params = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: typingParameter })) as CompletionItem[];
  assert.ok(params.some((i) => i.label === '-PoolState'), JSON.stringify(params.map((i) => i.label)));
  const typingValue = await edit('Set-CsPersistentChatState -PoolState ');
  const values = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: typingValue })) as CompletionItem[];
  assert.deepEqual(values.map((i) => i.label).sort(), ['FailedOver', 'Normal']);
  const pools = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 6 } })) as CompletionItem[];
  assert.deepEqual(pools.map((i) => i.label), ['atl-gc-001.litwareinc.com']);
  const actions = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 11, character: 0 } })) as CompletionItem[];
  assert.ok(actions.some((i) => i.label === 'wait-backup-sync'));
});

test('hover: cmdlet help and estate facts', async () => {
  const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 17, character: 5 } })) as Hover;
  assert.match(JSON.stringify(h.contents), /Set-CsPersistentChatState/);
  const pool = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 10 } })) as Hover;
  assert.match(JSON.stringify(pool.contents), /persistent-chat pool/);
});

test('document symbols and the runbookSteps request list the steps', async () => {
  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
  assert.deepEqual(symbols.map((s) => s.detail), ['recover', 'fail-over']);
  const steps = await client.connection.sendRequest<RunbookStepsResult>(RUNBOOK_STEPS_METHOD, { uri } satisfies RunbookStepsParams);
  assert.equal(steps.kind, 'persistent-chat-failover');
  assert.deepEqual(steps.steps.map((s) => [s.id, s.actions.map((a) => [a.index, a.kind, a.target ?? null])]), [
    ['recover', [[0, 'lync', null]]],
    ['fail-over', [[0, 'powershell', null]]],
  ]);
  assert.equal(steps.steps[0]!.actions[0]!.text, 'recover-database database=mgc on=backup');
});

test('an estate change on disk re-checks the runbook', async () => {
  fs.writeFileSync(estateFile, 'estate: 1\nname: [broken\n');
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(estateFile).toString(), type: FileChangeType.Changed }] });
  const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'estate-unavailable'));
  assert.equal(d.diagnostics.find((x) => x.code === 'estate-unavailable')!.range.start.line, 2);
});

test('estate files get their own diagnostics', async () => {
  const estateUri = pathToFileURL(estateFile).toString();
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: estateUri, languageId: 'yaml', version: 1, text: 'estate: 1\nname: x\npools:\n  - fqdn: a.b.com\n    kind: front-end\n    servers: [x.b.com]\n    backupPool: a.b.com\n' } });
  const d = await client.diagnostics(estateUri, (p) => p.diagnostics.length > 0);
  assert.ok(d.diagnostics.length > 0);
});

test('incremental edits give the diagnostics of the same text opened fresh', async () => {
  const file = (name: string) => pathToFileURL(path.join(dir, name)).toString();
  const editedUri = file('edited.runbook.md');
  const freshUri = file('fresh.runbook.md');
  let text = RUNBOOK;
  let v = 1;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: editedUri, languageId: 'markdown', version: v, text } });
  await client.diagnostics(editedUri, (p) => p.version === v);
  // Typing inside a block, a new line in a block, a new step, then an edit inside the new block:
  // [text to find, length of it to replace from its start, replacement].
  const edits: [string, number, string][] = [
    ['"service:atl-gc-001.litwareinc.com"', 0, ' -PoolState Normal'],
    ['recover-database database=mgc on=backup', 0, 'kill-sessions database=mgc on=backup\n'],
    ['## Fail the pool over', 0, '## Check {#check}\n\n```lync\ncheck-pool-state pool=atl-gc-001.litwareinc.com state=FailedOver\n```\n\n'],
    ['FailedOver\n```\n\n## Fail', 'FailedOver'.length, 'Normal'],
  ];
  let last;
  for (const [find, length, newText] of edits) {
    v++;
    // The first edit appends after the identity; the others replace/insert at the text found.
    const found = text.indexOf(find);
    assert.ok(found >= 0, find);
    const offset = length === 0 && find.startsWith('"') ? found + find.length : found;
    const at = (o: number) => ({ line: text.slice(0, o).split('\n').length - 1, character: o - text.lastIndexOf('\n', o - 1) - 1 });
    const range = { start: at(offset), end: at(offset + length) };
    text = text.slice(0, offset) + newText + text.slice(offset + length);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: editedUri, version: v }, contentChanges: [{ range, text: newText }] });
    last = await client.diagnostics(editedUri, (p) => p.version === v);
  }
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: freshUri, languageId: 'markdown', version: 1, text } });
  const fresh = await client.diagnostics(freshUri, (p) => p.version === 1);
  assert.ok(last!.diagnostics.length > 0);
  assert.deepEqual(last!.diagnostics, fresh.diagnostics);
});
