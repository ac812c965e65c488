/**
 * The server in the client's language: started with the French bundle in its
 * initializationOptions (as the extension does when VS Code runs in French), its diagnostic
 * carries the rule's French catalogue line and its quick fix a French title; started without one,
 * the same runbook reads in English.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { CodeActionRequest } from 'vscode-languageserver-protocol/node';
import type { RunbookServerOptions } from '../../src/core/runbook/protocol';
import { openWorkspace } from './client';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

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

async function poolStateProblem(options?: RunbookServerOptions) {
  const workspace = await openWorkspace('lync-estate.yaml', RUNBOOK, options);
  try {
    const { client, uri } = workspace;
    const d = await client.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'pool-state-missing'));
    const diagnostic = d.diagnostics.find((x) => x.code === 'pool-state-missing')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    return { message: diagnostic.message, fixes: (actions ?? []).map((a) => a.title) };
  } finally {
    await workspace.dispose();
  }
}

test('French client: the diagnostic and its quick fix in French', async () => {
  const { message, fixes } = await poolStateProblem({ l10nBundle: path.join(ROOT, 'l10n', 'bundle.l10n.fr.json') });
  assert.match(message, /^`Set-CsPersistentChatState` sans `-PoolState` : le paramètre est facultatif/);
  assert.deepEqual(fixes, ['Ajouter -PoolState FailedOver']);
});

test('no bundle (English): the message and the fix as the rule wrote them', async () => {
  const { message, fixes } = await poolStateProblem();
  assert.doesNotMatch(message, / — /);
  assert.deepEqual(fixes, ['Add -PoolState FailedOver']);
});
