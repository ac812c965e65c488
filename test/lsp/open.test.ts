/**
 * A newly opened runbook is validated at once; only bursts of edits are debounced (issue 15). The
 * proof without a clock: a change sent right behind the didOpen would have replaced a debounced
 * first validation, so version 1 would never be published; validated at once, it is.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { openWorkspace } from './client';

const RUNBOOK = `---
runbook: persistent-chat-failover
estate: ./lync-estate.yaml
pool: atl-gc-001.litwareinc.com
---

# Fail over

## Fail the pool over {#fail-over}

\`\`\`powershell
Set-CsPersistentChatState -Identity "service:atl-gc-001.litwareinc.com" -PoolState FailedOver
\`\`\`
`;

test('didOpen publishes diagnostics for the opened version even when an edit follows at once', async () => {
  const workspace = await openWorkspace('lync-estate.yaml', RUNBOOK);
  try {
    const { client } = workspace;
    // The first runbook waits for the grammar to load; the one under test finds the server ready.
    await client.diagnostics(workspace.uri, (p) => p.version === 1);
    const file = path.join(workspace.dir, 'second.runbook.md');
    fs.writeFileSync(file, RUNBOOK);
    const uri = pathToFileURL(file).toString();
    await Promise.all([
      client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text: RUNBOOK } }),
      client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${RUNBOOK}\n` }] }),
    ]);
    await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(client.published.filter((p) => p.uri === uri).map((p) => p.version), [1, 2]);
  } finally {
    await workspace.dispose();
  }
});
