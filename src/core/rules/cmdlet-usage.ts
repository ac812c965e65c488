/** Cmdlet calls checked against the catalogue: names, parameters, parameter sets, dashes. */
import { CMDLETS, COMMON_PARAMETERS, DOC_TYPO_PARAMETERS, findCmdlet, isCsCmdletName, NONEXISTENT_CMDLETS, resolveParameter, type CmdletSpec } from '../runbook/cmdlets';
import type { PsCommand } from '../runbook/model';
import { defineActionRule, insertAt, replaceWith } from './define';
import { distance, nearest } from './estate-lookup';
import { param } from './facts';

export const nonexistentCmdlet = defineActionRule(
  { id: 'nonexistent-cmdlet', severity: 'error', description: 'A call to a cmdlet that does not exist, such as `Get-CsPersistentChatActiveServer`.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const advice = NONEXISTENT_CMDLETS[command.name.toLowerCase()];
      if (advice) report(command.nameRange, `\`${command.name}\` does not exist: ${advice}.`);
    }
  },
);

export const unknownCmdlet = defineActionRule(
  { id: 'unknown-cmdlet', severity: 'warning', description: 'A `Verb-Cs…` cmdlet that is not in the catalogue and close to one that is (probably misspelt).', fix: 'Replaces it with the nearest catalogue cmdlet.' },
  ({ facts, report }) => {
    const names = CMDLETS.map((c) => c.name);
    for (const { command } of facts.ps) {
      if (!isCsCmdletName(command.name) || findCmdlet(command.name) || NONEXISTENT_CMDLETS[command.name.toLowerCase()]) continue;
      const suggestion = nearest(command.name, names)!;
      // Only a near miss is reported: the catalogue covers recovery cmdlets, not all ~800 Cs cmdlets.
      if (levenshteinClose(command.name, suggestion)) {
        report(command.nameRange, `Unknown cmdlet \`${command.name}\`: did you mean \`${suggestion}\`?`, [replaceWith(`Replace with ${suggestion}`, command.nameRange, suggestion)]);
      }
    }
  },
);

const levenshteinClose = (a: string, b: string) => a.toLowerCase() !== b.toLowerCase() && distance(a, b) <= 3;

export const docTypoParameter = defineActionRule(
  { id: 'doc-typo-parameter', severity: 'error', description: 'A parameter copied with the documentation\'s typo (`-DropExisitingDatabasesOnMirror`, `-ExcludeDatabase`).', fix: 'Replaces it with the real parameter name.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      for (const p of command.parameters) {
        const correct = DOC_TYPO_PARAMETERS[p.name.toLowerCase()];
        if (!correct) continue;
        report(p.range, `\`-${p.name}\` is a typo copied from the documentation: the parameter is \`-${correct}\`.`, [replaceWith(`Replace with -${correct}`, p.range, `-${correct}`)]);
      }
    }
  },
);

export const unknownParameter = defineActionRule(
  { id: 'unknown-parameter', severity: 'error', description: 'A parameter the cmdlet does not have (or an ambiguous abbreviation).', fix: 'Replaces it with the nearest parameter of the cmdlet.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec) continue;
      for (const p of command.parameters) {
        if (DOC_TYPO_PARAMETERS[p.name.toLowerCase()]) continue;
        const r = resolveParameter(spec, p.name);
        if (r.kind === 'ambiguous') report(p.range, `\`-${p.name}\` is ambiguous for ${spec.name}: write ${r.candidates.map((c) => `-${c}`).join(' or ')}.`);
        if (r.kind !== 'unknown') continue;
        const suggestion = nearest(p.name, [...spec.parameters.map((x) => x.name), ...COMMON_PARAMETERS])!;
        report(p.range, `${spec.name} has no parameter \`-${p.name}\`: did you mean \`-${suggestion}\`?`, [replaceWith(`Replace with -${suggestion}`, p.range, `-${suggestion}`)]);
      }
    }
  },
);

export const enDashParameter = defineActionRule(
  { id: 'en-dash-parameter', severity: 'warning', description: 'A parameter written with an en/em dash (`–PoolState`), as printed on the English failover page.', fix: 'Replaces the dash with a hyphen-minus.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      for (const p of command.parameters) {
        if (p.dash === '-') continue;
        const dash = { start: p.range.start, end: { line: p.range.start.line, character: p.range.start.character + 1 } };
        report(dash, `\`${p.dash}${p.name}\` starts with a typographic dash copied from the documentation: type a plain hyphen (-${p.name}).`, [replaceWith('Replace with -', dash, '-')]);
      }
    }
  },
);

/** Which parameter sets the written parameters are compatible with. */
function candidateSets(spec: CmdletSpec, command: PsCommand): readonly string[] {
  const sets = spec.sets ?? ['default'];
  return sets.filter((set) =>
    command.parameters.every((p) => {
      const r = resolveParameter(spec, p.name);
      return r.kind !== 'found' || !r.spec.sets || r.spec.sets.includes(set);
    }),
  );
}

export const missingMandatoryParameter = defineActionRule(
  { id: 'missing-mandatory-parameter', severity: 'error', description: 'A mandatory parameter is missing (e.g. Install-CsMirrorDatabase without -FileShare, -SqlServerFqdn, or -DatabaseType/-ConfiguredDatabases).', fix: 'Appends the missing parameter.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec) continue;
      const sets = candidateSets(spec, command);
      if (!sets.length) continue; // conflicting-parameters explains it
      // Missing in every compatible set → report what the most likely set (first) needs.
      const missingPerSet = sets.map((set) =>
        spec.parameters.filter((p) => p.mandatoryIn?.includes(set) && !param(command, p.name) && !(p.name === 'Identity' && command.positional.length)),
      );
      if (missingPerSet.some((m) => m.length === 0)) continue;
      const missing = missingPerSet.reduce((a, b) => (b.length < a.length ? b : a));
      const names = missing.map((p) => `-${p.name}`).join(', ');
      const alternatives = missingPerSet.length > 1 ? ` (or the parameters of another parameter set)` : '';
      report(command.nameRange, `${spec.name} needs ${names}${alternatives}.`, [
        insertAt(`Add ${names}`, command.range.end, missing.map((p) => ` -${p.name}${p.type === 'switch' ? '' : ' '}`).join('')),
      ]);
    }
  },
);

export const conflictingParameters = defineActionRule(
  { id: 'conflicting-parameters', severity: 'error', description: 'Parameters from different parameter sets in one call (`-ForInstance` with `-SqlInstanceName`, `-ActiveServers` with `-Swap`…).' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec?.sets || candidateSets(spec, command).length) continue;
      const used = command.parameters.map((p) => resolveParameter(spec, p.name)).flatMap((r) => (r.kind === 'found' && r.spec.sets ? [r.spec.name] : []));
      report(command.nameRange, `${spec.name}: ${used.map((n) => `-${n}`).join(', ')} belong to different parameter sets and cannot be used together; keep one set.`);
    }
  },
);

export const sfbOnlyParameter = defineActionRule(
  { id: 'sfb-only-parameter', severity: 'warning', description: 'A parameter that exists only from Skype for Business Server 2015 on, in a Lync Server 2013 runbook.', fix: 'Removes the parameter.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec) continue;
      for (const p of command.parameters) {
        const r = resolveParameter(spec, p.name);
        if (r.kind !== 'found' || !r.spec.sfbOnly) continue;
        const end = p.value?.range.end ?? p.range.end;
        report(p.range, `\`-${r.spec.name}\` exists only in Skype for Business Server 2015 and later; Lync Server 2013 rejects it.`, [replaceWith(`Remove -${r.spec.name}`, { start: { line: p.range.start.line, character: Math.max(0, p.range.start.character - 1) }, end }, '')]);
      }
    }
  },
);

export const CMDLET_RULES = [nonexistentCmdlet, unknownCmdlet, docTypoParameter, unknownParameter, enDashParameter, missingMandatoryParameter, conflictingParameters, sfbOnlyParameter];
