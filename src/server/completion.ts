/** Completion: front matter keys and values, cmdlets, parameters, enum values, estate FQDNs, lync actions and keys. */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { Estate, PoolKind } from '../core/estate/model';
import { STORE_ROLES } from '../core/estate/model';
import { CMDLETS, findCmdlet, FRONT_MATTER_KEYS, LYNC_ACTIONS, findLyncAction, RUNBOOK_KINDS, resolveParameter, type FqdnKind, type Runbook } from '../core/runbook';
import { contains } from '../core/runbook/lines';

const item = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string): CompletionItem => ({
  label,
  kind,
  ...(detail ? { detail } : {}),
  ...(documentation ? { documentation: { kind: 'markdown', value: documentation } } : {}),
});

function fqdns(estate: Estate | undefined, kind: FqdnKind | PoolKind | undefined): CompletionItem[] {
  if (!estate) return [];
  const pools = (k?: PoolKind) => estate.pools.filter((p) => !k || p.kind === k).map((p) => item(p.fqdn, CompletionItemKind.Value, `${p.kind} pool${p.site ? ` · ${p.site}` : ''}`));
  switch (kind) {
    case 'front-end-pool':
    case 'front-end':
      return pools('front-end');
    case 'persistent-chat-pool':
    case 'persistent-chat':
      return pools('persistent-chat');
    case 'sql-server':
      return estate.sqlInstances.map((s) => item(s.server, CompletionItemKind.Value, `SQL ${s.id}${s.instance ? ` \\${s.instance}` : ''}`));
    case 'pc-server':
      return estate.pools.filter((p) => p.kind === 'persistent-chat').flatMap((p) => p.servers.map((s) => item(s.fqdn, CompletionItemKind.Value, `${p.fqdn}${s.datacenter ? ` · ${s.datacenter}` : ''}`)));
    default:
      return pools();
  }
}

export function complete(runbook: Runbook, estate: Estate | undefined, lineText: string, position: Position): CompletionItem[] {
  const before = lineText.slice(0, position.character);
  const fm = runbook.frontMatter;
  if (fm && position.line > 0 && position.line < fm.range.end.line) {
    const m = /^(\w+):\s*\S*$/.exec(before);
    if (!m) return Object.entries(FRONT_MATTER_KEYS).map(([k, doc]) => ({ ...item(k, CompletionItemKind.Property, undefined, doc), insertText: `${k}: ` }));
    if (m[1] === 'runbook') return RUNBOOK_KINDS.map((k) => item(k, CompletionItemKind.EnumMember));
    if (m[1] === 'pool') return fqdns(estate, runbook.kind?.startsWith('persistent-chat') ? 'persistent-chat' : runbook.kind === 'custom' ? undefined : 'front-end');
    if (m[1] === 'lostPool') return fqdns(estate, 'front-end');
    return [];
  }
  const action = [...runbook.orphanActions, ...runbook.steps.flatMap((s) => s.actions)].find((a) => contains(a.fenceRange, position));
  if (!action) return [];
  if (position.line === action.fenceRange.start.line) return /on=\S*$/.test(before) ? targets(estate) : [item('on=', CompletionItemKind.Property, 'SQL target')];
  if (action.kind === 'lync') return lyncCompletion(before, estate);
  if (action.kind === 'powershell') return powershellCompletion(before, estate, position);
  return [];
}

const targets = (estate: Estate | undefined) => [
  ...STORE_ROLES.flatMap((r) => [item(r, CompletionItemKind.EnumMember, 'store role of mgc'), item(`${r}:mgccomp`, CompletionItemKind.EnumMember, 'store role of mgccomp')]),
  ...(estate?.sqlInstances.map((s) => item(s.id, CompletionItemKind.Value, `${s.server}${s.instance ? `\\${s.instance}` : ''}`)) ?? []),
];

function lyncCompletion(before: string, estate: Estate | undefined): CompletionItem[] {
  const words = before.trimStart().split(/\s+/);
  if (words.length <= 1) return LYNC_ACTIONS.map((a) => item(a.name, CompletionItemKind.Function, undefined, a.help));
  const spec = findLyncAction(words[0]!);
  if (!spec) return [];
  const valueOf = /(\w+)=[^\s]*$/.exec(before);
  if (valueOf) {
    const key = valueOf[1]!;
    if (key === 'on') return targets(estate);
    if (key === 'pool') return fqdns(estate, spec.name === 'check-pool-state' ? 'persistent-chat' : 'front-end');
    return (spec.keys.find((k) => k.name === key)?.values ?? []).map((v) => item(v, CompletionItemKind.EnumMember));
  }
  return spec.keys.map((k) => ({ ...item(`${k.name}=`, CompletionItemKind.Property, k.required ? 'required' : 'optional', k.help) }));
}

function powershellCompletion(before: string, estate: Estate | undefined, position: Position): CompletionItem[] {
  const cmdletName = /([A-Za-z]+-[A-Za-z]+)\s/.exec(before)?.[1];
  const cmdlet = cmdletName ? findCmdlet(cmdletName) : undefined;
  const typing = /(\S*)$/.exec(before)![1]!;
  if (!cmdlet) return CMDLETS.map((c) => item(c.name, CompletionItemKind.Function, undefined, c.synopsis));
  if (typing.startsWith('-')) {
    // Replace the whole typed `-Par` (editors do not count `-` as part of a word).
    const range = { start: { line: position.line, character: position.character - typing.length }, end: position };
    return cmdlet.parameters.map((p) => ({ ...item(`-${p.name}`, CompletionItemKind.Property, p.type, p.help), textEdit: { range, newText: `-${p.name}` } }));
  }
  // The value of the parameter before the cursor: enum values or FQDNs of the right kind.
  const previous = /-(\w+):?\s+["']?[^\s"']*$/.exec(before)?.[1];
  if (!previous) return [];
  const r = resolveParameter(cmdlet, previous);
  if (r.kind !== 'found') return [];
  if (r.spec.values) return r.spec.values.map((v) => item(v, CompletionItemKind.EnumMember));
  if (r.spec.fqdn) return fqdns(estate, r.spec.fqdn);
  return [];
}
