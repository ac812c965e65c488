/** Shared by the estate tests: a small valid estate, edits of it, and where a range points. */
import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/text';

/** A small estate that loads and checks without a single problem. */
export const VALID_ESTATE = String.raw`estate: 1
name: Test
datacenters:
  - { id: atl, name: Atlanta }
  - { id: dal, name: Dallas }
sqlInstances:
  - { id: atl-pcsql, server: atl-pcsql.contoso.com, instance: pchat, datacenter: atl }
  - { id: atl-pcsqlm, server: atl-pcsqlm.contoso.com, datacenter: atl, port: 1433 }
  - { id: dal-pcbak, server: dal-pcbak.contoso.com, datacenter: dal }
pools:
  - fqdn: atl-cs.contoso.com
    kind: front-end
    site: Atlanta
    datacenter: atl
    servers: [atl-fe1.contoso.com]
    backupPool: dal-cs.contoso.com
  - fqdn: dal-cs.contoso.com
    kind: front-end
    datacenter: dal
    servers: [dal-fe1.contoso.com]
    backupPool: atl-cs.contoso.com
  - fqdn: atl-gc.contoso.com
    kind: persistent-chat
    site: Atlanta
    servers:
      - { fqdn: atl-pc1.contoso.com, datacenter: atl }
      - { fqdn: dal-pc1.contoso.com, datacenter: dal }
    stores:
      mgc: { primary: atl-pcsql, mirror: atl-pcsqlm, backup: dal-pcbak }
    logShipping: { share: '\\fs.contoso.com\logs', copyFolder: 'D:\LS' }
    activeServers: [atl-pc1.contoso.com]
`;

/** `text` with its only occurrence of `from` replaced by `to`. */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at !== -1 && text.indexOf(from, at + 1) === -1, `"${from}" should occur once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The range of `target` on the only line of `text` that contains `line` (the first `target` on it). */
export function rangeOf(text: string, line: string, target = line): Range {
  const lines = text.split('\n');
  const found = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes(line));
  assert.equal(found.length, 1, `"${line}" should be on one line`);
  const [content, index] = found[0];
  const inside = line.indexOf(target);
  const character = inside === -1 ? content.indexOf(target) : content.indexOf(line) + inside;
  assert.ok(character !== -1, `"${target}" should be on the line of "${line}"`);
  return { start: { line: index, character }, end: { line: index, character: character + target.length } };
}
