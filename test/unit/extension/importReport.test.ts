import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourcePath } from '../../../src/core/estate/model';
import { errorRange, importErrorText, todoItems, todoSummary } from '../../../src/extension/commands/importReport';
import { formatMessage as t } from '../../../src/extension/translate';

test('an import failure names the file and, when known, the line and column', () => {
  assert.equal(importErrorText('topology.xml', { message: 'Unclosed tag <Cluster>.' }, t), 'topology.xml could not be imported: Unclosed tag <Cluster>.');
  assert.equal(importErrorText('topology.xml', { message: 'Bad.', line: 12 }, t), 'topology.xml could not be imported (line 12): Bad.');
  assert.equal(importErrorText('topology.xml', { message: 'Bad.', line: 12, column: 4 }, t), 'topology.xml could not be imported (line 12, column 4): Bad.');
});

test('the failure position becomes a 0-based cursor', () => {
  assert.equal(errorRange({ message: 'x' }), undefined);
  assert.deepEqual(errorRange({ message: 'x', line: 12, column: 4 }), { start: { line: 11, character: 3 }, end: { line: 11, character: 3 } });
  assert.deepEqual(errorRange({ message: 'x', line: 1 }), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});

test('the summary counts what is left to complete', () => {
  assert.equal(todoSummary(1, 'lync-estate.yaml', t), '1 item needs completing in lync-estate.yaml.');
  assert.equal(todoSummary(7, 'lync-estate.yaml', t), '7 items need completing in lync-estate.yaml.');
});

test('TODO rows come in file order with the line to jump to', () => {
  const lines: Record<string, number> = { 'pools.2.servers.1.datacenter': 40, 'pools.2.stores.mgc.backup': 12 };
  const locate = (path: SourcePath) => {
    const line = lines[path.join('.')];
    return { start: { line, character: 6 }, end: { line, character: 20 } };
  };
  const items = todoItems(
    [
      { path: ['pools', 2, 'servers', 1, 'datacenter'], message: 'Set the physical data center of dal-pc-001.\nThe topology cannot tell it.' },
      { path: ['pools', 2, 'stores', 'mgc', 'backup'], message: 'Name the backup SQL instance of mgc.' },
    ],
    locate,
    t,
  );
  assert.deepEqual(items.map((i) => [i.label, i.description, i.range.start.line]), [
    ['Name the backup SQL instance of mgc.', 'line 13', 12],
    ['Set the physical data center of dal-pc-001.', 'line 41', 40],
  ]);
});
