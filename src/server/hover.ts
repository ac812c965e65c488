/** Hover: cmdlet and parameter help, lync action help, estate facts for an FQDN, and the explanation of a rule. */
import type { Hover, Position } from 'vscode-languageserver/node';
import type { Estate } from '../core/estate/model';
import { cmdletHelp, findCmdlet, findLyncAction, parameterHelp, resolveParameter, type Runbook, type RuleProblem } from '../core/runbook';
import { contains } from '../core/runbook/lines';
import { ruleDocPath, ruleMeta } from '../core/rules';
import { findPool, poolOfServer, sameFqdn, sameId } from '../core/estate/queries';

const markdown = (value: string): Hover => ({ contents: { kind: 'markdown', value } });

/** `docHref`: the link to a rule's page, when there is one (the path is named either way). */
export function hover(
  runbook: Runbook,
  estate: Estate | undefined,
  problems: readonly RuleProblem[],
  lineText: string,
  position: Position,
  docHref: (rule: string) => string | undefined = () => undefined,
): Hover | undefined {
  const parts: string[] = [];
  for (const p of problems.filter((x) => contains(x.range, position))) {
    const meta = ruleMeta(p.rule);
    if (!meta) continue;
    const href = docHref(meta.id);
    const page = href ? `[${ruleDocPath(meta.id)}](${href})` : `\`${ruleDocPath(meta.id)}\``;
    parts.push(`**${meta.id}** (${meta.severity}): ${meta.description}${meta.fix ? `\n\nQuick fix: ${meta.fix}` : ''}\n\nSee ${page}.`);
  }
  const word = wordAt(lineText, position.character);
  const actions = [...runbook.orphanActions, ...runbook.steps.flatMap((s) => s.actions)];
  for (const a of actions.filter((x) => contains(x.range, position))) {
    if (a.kind === 'powershell') {
      for (const c of a.commands) {
        const spec = findCmdlet(c.name);
        if (!spec) continue;
        if (contains(c.nameRange, position)) parts.push(cmdletHelp(spec));
        for (const p of c.parameters) {
          const r = resolveParameter(spec, p.name);
          if (contains(p.range, position) && r.kind === 'found') parts.push(parameterHelp(spec, r.spec));
        }
      }
    }
    if (a.kind === 'lync') {
      for (const c of a.commands) {
        const spec = findLyncAction(c.name);
        if (spec && contains(c.nameRange, position)) parts.push(`**${spec.name}** — ${spec.help}\n\nKeys: ${spec.keys.map((k) => `\`${k.name}\`${k.required ? '' : ' (optional)'}`).join(', ') || 'a quoted text'}`);
      }
    }
  }
  if (word && estate) {
    const facts = estateFacts(estate, word);
    if (facts) parts.push(facts);
  }
  return parts.length ? markdown(parts.join('\n\n---\n\n')) : undefined;
}

const wordAt = (line: string, character: number): string | undefined => {
  const re = /[A-Za-z0-9_.:-]+/g;
  for (const m of line.matchAll(re)) if (m.index! <= character && character <= m.index! + m[0].length) return m[0].replace(/^.*:/, '').replace(/\.$/, '');
  return undefined;
};

function estateFacts(estate: Estate, fqdn: string): string | undefined {
  const pool = findPool(estate, fqdn);
  if (pool) {
    const lines = [`**${pool.fqdn}** — ${pool.kind} pool${pool.site ? `, site ${pool.site}` : ''}${pool.datacenter ? `, data center ${pool.datacenter}` : ''}`];
    lines.push(`Servers: ${pool.servers.map((s) => `${s.fqdn}${s.datacenter ? ` (${s.datacenter})` : ''}`).join(', ')}`);
    if (pool.backupPool) lines.push(`Backup pool: ${pool.backupPool}`);
    for (const [db, roles] of Object.entries(pool.stores ?? {})) lines.push(`${db}: ${Object.entries(roles ?? {}).map(([r, id]) => `${r} ${id}`).join(', ')}`);
    if (pool.activeServers) lines.push(`Active servers: ${pool.activeServers.join(', ')}`);
    return lines.join('\n\n');
  }
  const owner = poolOfServer(estate, fqdn);
  if (owner) {
    const server = owner.servers.find((s) => sameFqdn(s.fqdn, fqdn))!;
    return `**${server.fqdn}** — server of ${owner.fqdn}${server.datacenter ?? owner.datacenter ? `, data center ${server.datacenter ?? owner.datacenter}` : ''}`;
  }
  const sql = estate.sqlInstances.filter((s) => sameFqdn(s.server, fqdn) || sameId(s.id, fqdn));
  if (sql.length) return sql.map((s) => `**SQL ${s.id}** — ${s.server}${s.instance ? `\\${s.instance}` : ''}${s.datacenter ? `, data center ${s.datacenter}` : ''}`).join('\n\n');
  return undefined;
}
