/**
 * Enumeration parameters checked against the catalogue's values. One table, one rule id per
 * parameter so each has its own documentation and severity.
 */
import { PRODUCT_NAMES } from '../estate/model';
import { BACKUP_MODULE_SHORT_FORMS, findCmdlet, resolveParameter } from '../runbook/cmdlets';
import type { Severity } from '../text';
import { defineActionRule, replaceWith } from './define';
import { nearest } from './estate-lookup';
import { literal } from './facts';
import type { Rule } from './types';

interface EnumRuleSpec {
  readonly id: string;
  readonly parameter: string;
  readonly severity: Severity;
  readonly description: string;
  /** A better suggestion than edit distance for known wrong values. */
  readonly aliases?: Readonly<Record<string, string>>;
}

const SPECS: readonly EnumRuleSpec[] = [
  { id: 'pool-state-invalid', parameter: 'PoolState', severity: 'error', description: '`-PoolState` is not `Normal` or `FailedOver` (e.g. `Failover`, `Primary`).', aliases: { failover: 'FailedOver', failed: 'FailedOver', backup: 'FailedOver', primary: 'Normal' } },
  { id: 'database-type-invalid', parameter: 'DatabaseType', severity: 'error', description: '`-DatabaseType` is not a DatabaseNameType value (PersistentChat, PersistentChatCompliance, User, …).', aliases: { mgc: 'PersistentChat', mgccomp: 'PersistentChatCompliance', pchat: 'PersistentChat' } },
  { id: 'backup-module-invalid', parameter: 'BackupModule', severity: 'error', description: '`-BackupModule` is not a module name of the reference (`ConfServices.DataConf`, …); short forms like `DataConf` are not documented there.', aliases: BACKUP_MODULE_SHORT_FORMS },
  { id: 'backup-category-invalid', parameter: 'Category', severity: 'error', description: '`Get-CsBackupServiceStatus -Category` is not `UserData` or `CMS`.' },
  { id: 'new-principal-invalid', parameter: 'NewPrincipal', severity: 'error', description: '`Invoke-CsDatabaseFailover -NewPrincipal` is not `Primary` or `Mirror`.' },
];

const enumRule = (s: EnumRuleSpec): Rule =>
  defineActionRule({ id: s.id, severity: s.severity, description: s.description, fix: 'Replaces the value with the valid one it most likely means.' }, ({ estate, facts, report }) => {
    const product = estate?.product;
    for (const { command } of facts.ps) {
      const spec = findCmdlet(command.name);
      if (!spec) continue;
      for (const p of command.parameters) {
        const r = resolveParameter(spec, p.name);
        if (r.kind !== 'found' || r.spec.name !== s.parameter || !r.spec.values || !p.value) continue;
        // The estate's product narrows the values (cmdlet reference per version); without it, any product's value is valid.
        const inProduct = product ? r.spec.valuesIn?.[product] : undefined;
        const values = inProduct ?? r.spec.values;
        const value = literal(p.value);
        // Only literals are checked; `$state` is the admin's business.
        if (value === undefined || values.includes(value)) continue;
        const caseOnly = values.find((v) => v.toLowerCase() === value.toLowerCase());
        if (caseOnly) continue; // PowerShell binds enums case-insensitively
        const suggestion = s.aliases?.[value.toLowerCase()] ?? nearest(value, values)!;
        const where = inProduct && r.spec.values.some((v) => v.toLowerCase() === value.toLowerCase()) ? ` in ${PRODUCT_NAMES[product!]} (the estate's product)` : '';
        report(p.value.range, `\`${value}\` is not a valid -${s.parameter}${where}: use ${values.join(', ')} (probably ${suggestion}).`, [replaceWith(`Replace with ${suggestion}`, p.value.range, suggestion)]);
      }
    }
  });

export const ENUM_RULES = SPECS.map(enumRule);
