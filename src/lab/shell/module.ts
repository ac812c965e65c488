/**
 * The `LyncLab` PowerShell module: the lab's Lync Server Management Shell, generated from the
 * cmdlet catalogue (src/core/runbook/cmdlets.ts), so the language server and the lab cannot
 * disagree about a cmdlet. One advanced function per catalogued cmdlet, with its parameter sets,
 * mandatory and positional parameters, types, enums and aliases: real PowerShell binds them, so
 * binding errors, prefix binding, typographic dashes and -WhatIf/-Confirm behave as in
 * production. Each function hands its bound parameters to the lab (runtime.ps1.ts) and returns
 * what the lab answers. The text runs unchanged on Windows PowerShell 5.1 and PowerShell 7.
 *
 * Lab assumptions (docs/lab-cmdlets.md, "The LyncLab module"): FQDN and identity parameters are
 * strings (the real types are Fqdn and XdsIdentity); list parameters take any object; enum
 * numbers follow declaration order; the -WhatIf target is the cmdlet's identity-like parameter.
 */
import { EXPORT_STATUSES, IMPORT_STATUSES } from '../../core/commands/enums';
import { CMDLETS, COMMON_PARAMETERS, ENUMS, type CmdletSpec, type ParameterSpec } from '../../core/runbook/cmdlets';
import { LYNC_LAB_RUNTIME } from './runtime.ps1';

export const MODULE_NAME = 'LyncLab';

/** Enums the module defines: parameter vocabularies, then the output-only ones. */
const MODULE_ENUMS: Readonly<Record<string, readonly string[]>> = {
  ...ENUMS,
  ExportStatus: EXPORT_STATUSES,
  ImportStatus: IMPORT_STATUSES,
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Single-quoted PowerShell string of catalogue text (names, set names, values: no control characters). */
const q = (text: string) => `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;

/** An enum PowerShell can declare: every value an identifier (BackupModule's dotted names are not). */
function enumName(p: ParameterSpec): string | undefined {
  if (!p.values?.every((v) => IDENTIFIER.test(v))) return undefined;
  return Object.entries(MODULE_ENUMS).find(([, values]) => values === p.values)?.[0];
}

function psType(p: ParameterSpec): string {
  switch (p.type) {
    case 'switch':
      return '[switch]';
    case 'int':
      return '[int]';
    case 'timespan':
      return '[timespan]';
    case 'hashtable':
      return '[hashtable]';
    case 'list':
    case 'object':
      return '[object]';
    case 'enum':
      return enumName(p) ? `[${enumName(p)}]` : '[string]';
    default:
      return '[string]';
  }
}

/** Parameters the module declares: -WhatIf/-Confirm come from SupportsShouldProcess; 2015-only and undocumented ones do not exist in Lync 2013. */
const declared = (c: CmdletSpec) => c.parameters.filter((p) => p.name !== 'WhatIf' && p.name !== 'Confirm' && !p.sfbOnly && !p.undocumented);

function parameterAttributes(c: CmdletSpec, p: ParameterSpec): string[] {
  const mandatoryIn = p.mandatoryIn ?? [];
  const cmdletSets = c.sets ?? ['default'];
  const extra = (mandatory: boolean) => [mandatory && 'Mandatory = $true', p.position !== undefined && `Position = ${p.position}`, p.pipeline && 'ValueFromPipeline = $true'].filter((x): x is string => typeof x === 'string');
  const one = (set: string | undefined, mandatory: boolean) => `[Parameter(${[set && `ParameterSetName = ${q(set)}`, ...extra(mandatory)].filter(Boolean).join(', ')})]`;
  if (!p.sets) {
    if (!mandatoryIn.length) return [one(undefined, false)];
    if (cmdletSets.every((s) => mandatoryIn.includes(s))) return [one(undefined, true)];
    return cmdletSets.map((s) => one(s, mandatoryIn.includes(s)));
  }
  return p.sets.map((s) => one(s, mandatoryIn.includes(s)));
}

function parameterText(c: CmdletSpec, p: ParameterSpec): string {
  const lines = parameterAttributes(c, p);
  if (p.aliases?.length) lines.push(`[Alias(${p.aliases.map(q).join(', ')})]`);
  // A list may be $null (-ActiveServers $Null clears it, cmdlet reference), even where it is mandatory.
  if (p.type === 'list') lines.push('[AllowNull()]');
  if (p.type === 'enum' && p.values && !enumName(p)) lines.push(`[ValidateSet(${p.values.map(q).join(', ')})]`);
  lines.push(`${psType(p)} $${p.name}`);
  return lines.map((l) => `    ${l}`).join('\n');
}

/** Parameters whose value names the -WhatIf/-Confirm target, in order of preference (lab assumption). */
const TARGET_PARAMETERS = ['Identity', 'PoolFqdn', 'SqlServerFqdn', 'BackupSqlServerFqdn', 'Name'];

function functionText(c: CmdletSpec): string {
  const params = declared(c);
  const shouldProcess = c.parameters.some((p) => p.name === 'WhatIf');
  const binding = [
    shouldProcess && 'SupportsShouldProcess = $true',
    shouldProcess && `ConfirmImpact = ${q(c.confirmImpact ?? 'Medium')}`,
    c.sets && `DefaultParameterSetName = ${q(c.defaultSet ?? c.sets[0]!)}`,
  ].filter(Boolean);
  const target = TARGET_PARAMETERS.find((t) => params.some((p) => p.name === t));
  const call = `Invoke-LyncLabCmdlet -Cmdlet $PSCmdlet -Name ${q(c.name)} -Bound $PSBoundParameters -ShouldProcess:$${shouldProcess ? 'true' : 'false'}${target ? ` -TargetParameter ${q(target)}` : ''}`;
  return [
    `function ${c.name} {`,
    `  [CmdletBinding(${binding.join(', ')})]`,
    '  param(',
    params.map((p) => parameterText(c, p)).join(',\n'),
    '  )',
    `  process { ${call} }`,
    '}',
  ].join('\n');
}

function enumText(name: string, values: readonly string[]): string {
  return [`enum ${name} {`, ...values.map((v, i) => `  ${v} = ${i}`), '}'].join('\n');
}

/** The module's text (a .psm1 file). */
export function lyncLabModule(cmdlets: readonly CmdletSpec[] = CMDLETS): string {
  const enums = Object.entries(MODULE_ENUMS).filter(([, values]) => values.every((v) => IDENTIFIER.test(v)));
  return [
    `# ${MODULE_NAME}: the rehearsal lab's Lync Server Management Shell. Generated by the lab from its cmdlet`,
    '# catalogue at lab start; do not edit. Runs unchanged on Windows PowerShell 5.1 and PowerShell 7.',
    '',
    '# PowerShell 7 prints errors in its concise view; the lab shows Windows PowerShell 5.1\'s (its default),',
    '# the text the product reads on a real Lync server.',
    "$global:ErrorView = 'NormalView'",
    '',
    ...enums.map(([name, values]) => enumText(name, values)),
    '',
    `$script:LyncLabEnums = @{ ${enums.map(([name]) => `${q(name)} = [${name}]`).join('; ')} }`,
    '# Bound parameters the lab is not sent: the common ones and those SupportsShouldProcess adds.',
    `$script:LyncLabCommonParameters = @(${[...COMMON_PARAMETERS, 'WhatIf', 'Confirm', 'UseTransaction', 'ProgressAction'].map(q).join(', ')})`,
    '',
    LYNC_LAB_RUNTIME,
    '',
    ...cmdlets.map(functionText),
    '',
    `Export-ModuleMember -Function ${cmdlets.map((c) => q(c.name)).join(', ')}`,
    '',
  ].join('\n');
}
