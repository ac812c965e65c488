/** Cmdlet calls checked against the catalogue: names, parameters, parameter sets, dashes. */
import { PRODUCT_NAMES } from '../estate/model';
import { REFERENCE_CMDLET_NAMES, isReferenceCmdlet } from '../runbook/cmdlet-names';
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
  { id: 'unknown-cmdlet', severity: 'error', description: 'A `Verb-Cs…` cmdlet that is in no version of the Lync Server / Skype for Business Server cmdlet reference (misspelt or made up).', fix: 'Replaces it with the nearest cmdlet of the reference, when one is close.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const name = command.name;
      if (!isCsCmdletName(name) || findCmdlet(name) || isReferenceCmdlet(name) || NONEXISTENT_CMDLETS[name.toLowerCase()]) continue;
      // Recovery cmdlets first: a near miss of one of them is the likelier intent.
      const suggestion = nearest(name, CMDLETS.map((c) => c.name)) ?? '';
      const close = levenshteinClose(name, suggestion) ? suggestion : nearest(name, REFERENCE_CMDLET_NAMES);
      const hint = close && levenshteinClose(name, close) ? close : undefined;
      report(command.nameRange, `\`${name}\` is not a cmdlet of Lync Server or Skype for Business Server (it is in no version of the cmdlet reference)${hint ? `: did you mean \`${hint}\`?` : ': check the name in the cmdlet reference.'}`, hint ? [replaceWith(`Replace with ${hint}`, command.nameRange, hint)] : []);
    }
  },
);

const levenshteinClose = (a: string, b: string) => a.toLowerCase() !== b.toLowerCase() && distance(a, b) <= 3;

export const docTypoParameter = defineActionRule(
  { id: 'doc-typo-parameter', severity: 'error', description: 'A parameter copied with the documentation\'s typo (`-DropExisitingDatabasesOnMirror`, `-MirrorSqlServerFqdn`), or `-ExcludeDatabase` left without its list.', fix: 'Replaces it with the real parameter name.' },
  ({ facts, report }) => {
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      for (const p of command.parameters) {
        const typo = DOC_TYPO_PARAMETERS[p.name.toLowerCase()];
        if (!typo || spec?.parameters.some((x) => x.name.toLowerCase() === p.name.toLowerCase())) continue;
        const fix = [replaceWith(`Replace with -${typo.name}`, p.range, `-${typo.name}`)];
        // A unique prefix binds (PowerShell's parameter resolution): only a missing value is wrong.
        if (typo.binds) {
          if (!p.value) report(p.range, `\`-${p.name}\` (copied from the documentation example) binds to -${typo.name} but has no value: give the list, e.g. -${typo.name} "LcsCDR","LcsLog", or remove it.`, fix);
          continue;
        }
        report(p.range, `\`-${p.name}\` is a typo copied from the documentation: the parameter is \`-${typo.name}\`.`, fix);
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
        const typo = DOC_TYPO_PARAMETERS[p.name.toLowerCase()];
        if (typo && !typo.binds) continue;
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
        report(dash, `\`${p.dash}${p.name}\` starts with a typographic dash copied from the documentation. PowerShell accepts it, but other tools and searches do not: type a plain hyphen (-${p.name}).`, [replaceWith('Replace with -', dash, '-')]);
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
  { id: 'sfb-only-parameter', severity: 'warning', description: 'A parameter the cmdlet reference documents for Skype for Business Server 2015 and later only, in a runbook whose estate is Lync Server 2013 or does not say (`product:`).', fix: 'Removes the parameter.' },
  ({ estate, facts, report }) => {
    if (estate?.product === 'sfb2015') return;
    const unsure = estate?.product ? '' : ` If the estate is ${PRODUCT_NAMES.sfb2015}, add \`product: sfb2015\` to it.`;
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec) continue;
      for (const p of command.parameters) {
        const r = resolveParameter(spec, p.name);
        if (r.kind !== 'found' || !r.spec.sfbOnly) continue;
        const end = p.value?.range.end ?? p.range.end;
        report(p.range, `\`-${r.spec.name}\` is documented for ${PRODUCT_NAMES.sfb2015} and later; the ${PRODUCT_NAMES.lync2013} cmdlet reference does not list it (or not on every page), so ${PRODUCT_NAMES.lync2013} may reject it.${unsure}`, [replaceWith(`Remove -${r.spec.name}`, { start: { line: p.range.start.line, character: Math.max(0, p.range.start.character - 1) }, end }, '')]);
      }
    }
  },
);

export const CMDLET_RULES = [nonexistentCmdlet, unknownCmdlet, docTypoParameter, unknownParameter, enDashParameter, missingMandatoryParameter, conflictingParameters, sfbOnlyParameter];
