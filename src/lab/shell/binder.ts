/**
 * Parameter binding with Windows PowerShell 5.1's rules and error texts: named parameters
 * (case-insensitive, aliases, unique-prefix abbreviations), switches and `-Switch:$false`,
 * positional arguments, parameter sets with a default set, mandatory parameters, and type
 * conversion to the cmdlet's parameter types (enums, FQDNs, PSListModifier, …).
 */
import type { CommandArg, CommandElement, Extent } from './ast';
import { PsError, type ErrorRecordInit } from './errors';
import { EnumType, PsEnum, PsHashtable, PsObject, toPsString, type PsValue } from './values';

export type ParamType =
  | { kind: 'string' }
  | { kind: 'strings' }
  | { kind: 'switch' }
  | { kind: 'int'; min?: number }
  | { kind: 'timespan' }
  | { kind: 'enum'; type: EnumType }
  | { kind: 'fqdn' }
  /** XdsIdentity / XdsGlobalRelativeIdentity: any string, checked by the cmdlet. */
  | { kind: 'identity'; typeName: string }
  /** PSListModifier of Fqdn: `@{Add=…}`, `@{Remove=…}`, `@{Replace=…}`, a list (= Replace) or $null. */
  | { kind: 'fqdnList' }
  | { kind: 'hashtable' }
  | { kind: 'object' };

export interface SetUsage {
  readonly mandatory?: boolean;
  readonly position?: number;
}

export interface ParameterDef {
  readonly name: string;
  readonly type: ParamType;
  readonly aliases?: readonly string[];
  /** Per parameter set; absent = member of every set with `all`'s usage. */
  readonly sets?: Readonly<Record<string, SetUsage>>;
  readonly all?: SetUsage;
  /** Bound from pipeline input (ByValue). */
  readonly fromPipeline?: boolean;
  /** ValueFromRemainingArguments: takes every positional argument left. */
  readonly remaining?: boolean;
}

export interface CommandDef {
  readonly name: string;
  /** .NET class, appended to FullyQualifiedErrorIds. */
  readonly className: string;
  readonly params: readonly ParameterDef[];
  readonly defaultSet?: string;
  /** Adds -WhatIf / -Confirm. */
  readonly shouldProcess?: boolean;
}

export type FqdnListChange = { replace: string[] } | { add: string[]; remove: string[] };

/** A bound value after conversion to the parameter's type. */
export type BoundValue = PsValue | FqdnListChange;

export interface Binding {
  readonly set: string;
  /** Bound parameters by canonical name. */
  readonly values: ReadonlyMap<string, BoundValue>;
}

const ALL_SETS = '__AllParameterSets';

const COMMON: ParameterDef[] = [
  { name: 'Verbose', type: { kind: 'switch' }, aliases: ['vb'] },
  { name: 'Debug', type: { kind: 'switch' }, aliases: ['db'] },
  { name: 'ErrorAction', type: { kind: 'enum', type: new EnumType('System.Management.Automation.ActionPreference', ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend']) }, aliases: ['ea'] },
  { name: 'WarningAction', type: { kind: 'enum', type: new EnumType('System.Management.Automation.ActionPreference', ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend']) }, aliases: ['wa'] },
  { name: 'InformationAction', type: { kind: 'enum', type: new EnumType('System.Management.Automation.ActionPreference', ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend']) }, aliases: ['infa'] },
  { name: 'ErrorVariable', type: { kind: 'string' }, aliases: ['ev'] },
  { name: 'WarningVariable', type: { kind: 'string' }, aliases: ['wv'] },
  { name: 'InformationVariable', type: { kind: 'string' }, aliases: ['iv'] },
  { name: 'OutVariable', type: { kind: 'string' }, aliases: ['ov'] },
  { name: 'OutBuffer', type: { kind: 'int' }, aliases: ['ob'] },
  { name: 'PipelineVariable', type: { kind: 'string' }, aliases: ['pv'] },
];
const SHOULD_PROCESS: ParameterDef[] = [
  { name: 'WhatIf', type: { kind: 'switch' }, aliases: ['wi'] },
  { name: 'Confirm', type: { kind: 'switch' }, aliases: ['cf'] },
];

export function allParams(def: CommandDef): ParameterDef[] {
  return [...def.params, ...COMMON, ...(def.shouldProcess ? SHOULD_PROCESS : [])];
}

function setsOf(def: CommandDef): string[] {
  const names = new Set<string>();
  for (const p of def.params) for (const s of Object.keys(p.sets ?? {})) names.add(s);
  return names.size ? [...names] : [ALL_SETS];
}

function usage(p: ParameterDef, set: string): SetUsage | undefined {
  if (!p.sets) return p.all ?? {};
  return p.sets[set];
}

export function typeName(t: ParamType): string {
  switch (t.kind) {
    case 'string':
      return 'System.String';
    case 'strings':
      return 'System.String[]';
    case 'switch':
      return 'System.Management.Automation.SwitchParameter';
    case 'int':
      return 'System.Int32';
    case 'timespan':
      return 'System.TimeSpan';
    case 'enum':
      return t.type.fullName;
    case 'fqdn':
      return 'Microsoft.Rtc.Management.Deploy.Fqdn';
    case 'identity':
      return t.typeName;
    case 'fqdnList':
      return 'Microsoft.Rtc.Management.PSListModifier`1[Microsoft.Rtc.Management.Deploy.Fqdn]';
    case 'hashtable':
      return 'System.Collections.Hashtable';
    case 'object':
      return 'System.Management.Automation.PSObject';
  }
}

/** An argument after evaluation: its value, the text it came from, and where it is. */
export interface EvaluatedArg {
  readonly arg: CommandArg;
  /** Value of `-Name:value` or of a positional/following argument. */
  readonly value?: PsValue;
}

export interface BindOptions {
  /** The command receives pipeline input, which can satisfy a `fromPipeline` parameter. */
  readonly pipelineInput: boolean;
}

class BindError extends PsError {}

export function bind(def: CommandDef, element: CommandElement, args: readonly EvaluatedArg[], opts: BindOptions): Binding {
  const params = allParams(def);
  const fail = (init: Omit<ErrorRecordInit, 'commandName' | 'commandClass' | 'category' | 'reason'> & { category?: string }): never => {
    throw new BindError({ category: 'InvalidArgument', reason: 'ParameterBindingException', commandName: def.name, commandClass: def.className, ...init });
  };
  const values = new Map<string, BoundValue>();
  const raw = new Map<string, { value: PsValue; extent: Extent }>();
  const positional: EvaluatedArg[] = [];

  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.arg.kind === 'arg') {
      positional.push(a);
      continue;
    }
    const p = resolveParameter(params, a.arg.name, a.arg.extent, fail);
    if (raw.has(p.name)) {
      fail({
        message: `Cannot bind parameter because parameter '${p.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`,
        errorId: 'ParameterAlreadyBound',
        extent: a.arg.extent,
      });
    }
    if (a.arg.value !== undefined) {
      raw.set(p.name, { value: a.value ?? null, extent: { start: a.arg.extent.start, end: a.arg.value.extent.end } });
    } else if (p.type.kind === 'switch') {
      raw.set(p.name, { value: true, extent: a.arg.extent });
    } else {
      const next = args[i + 1];
      if (!next || next.arg.kind !== 'arg') {
        fail({ message: `Missing an argument for parameter '${p.name}'. Specify a parameter of type '${typeName(p.type)}' and try again.`, errorId: 'MissingArgument', extent: a.arg.extent });
      }
      raw.set(p.name, { value: next.value ?? null, extent: next.arg.extent });
      i++;
    }
  }

  // Positional arguments go to the positional parameters of the sets still possible, by position.
  const candidateSets = () => setsOf(def).filter((s) => [...raw.keys()].every((n) => usage(params.find((p) => p.name === n) as ParameterDef, s) !== undefined));
  if (positional.length) {
    const sets = candidateSets();
    const slots = def.params
      .map((p) => ({ p, pos: sets.map((s) => usage(p, s)?.position).find((x) => x !== undefined) }))
      .filter((x): x is { p: ParameterDef; pos: number } => x.pos !== undefined && !raw.has(x.p.name))
      .sort((a, b) => a.pos - b.pos);
    for (let i = 0; i < positional.length; i++) {
      const a = positional[i];
      const slot = slots.shift();
      if (!slot) {
        return fail({ message: `A positional parameter cannot be found that accepts argument '${toPsString(a.value ?? null)}'.`, errorId: 'PositionalParameterNotFound', extent: a.arg.extent });
      }
      if (slot.p.remaining && positional.length - i > 1) {
        const rest = positional.slice(i);
        raw.set(slot.p.name, { value: rest.map((r) => r.value ?? null), extent: { start: a.arg.extent.start, end: rest[rest.length - 1].arg.extent.end } });
        break;
      }
      raw.set(slot.p.name, { value: a.value ?? null, extent: a.arg.extent });
    }
  }

  for (const [name, { value, extent }] of raw) {
    const p = params.find((x) => x.name === name) as ParameterDef;
    values.set(name, convert(p, value, extent, fail));
  }

  const sets = candidateSets();
  if (!sets.length) fail({ message: 'Parameter set cannot be resolved using the specified named parameters.', errorId: 'AmbiguousParameterSet', extent: element.extent });
  const satisfied = (s: string) => missingMandatory(def, s, values, opts).length === 0;
  let chosen: string;
  // With pipeline input, sets whose parameters can take it win (as PowerShell narrows them).
  const takesInput = (s: string) => def.params.some((p) => p.fromPipeline && usage(p, s) !== undefined);
  let complete = sets.filter(satisfied);
  if (opts.pipelineInput && complete.some(takesInput)) complete = complete.filter(takesInput);
  if (complete.length === 1) chosen = complete[0];
  else if (complete.length > 1) {
    if (def.defaultSet && complete.includes(def.defaultSet)) chosen = def.defaultSet;
    else if (complete.length === setsOf(def).length && complete.includes(ALL_SETS)) chosen = ALL_SETS;
    else return fail({ message: 'Parameter set cannot be resolved using the specified named parameters.', errorId: 'AmbiguousParameterSet', extent: element.extent });
  } else if (sets.length === 1) chosen = sets[0];
  else if (def.defaultSet && sets.includes(def.defaultSet)) chosen = def.defaultSet;
  else return fail({ message: 'Parameter set cannot be resolved using the specified named parameters.', errorId: 'AmbiguousParameterSet', extent: element.extent });

  const missing = missingMandatory(def, chosen, values, opts);
  if (missing.length) {
    fail({ message: `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`, errorId: 'MissingMandatoryParameter', extent: element.extent });
  }
  return { set: chosen, values };
}

function missingMandatory(def: CommandDef, set: string, values: ReadonlyMap<string, BoundValue>, opts: BindOptions): string[] {
  return def.params.filter((p) => usage(p, set)?.mandatory && !values.has(p.name) && !(p.fromPipeline && opts.pipelineInput)).map((p) => p.name);
}

type Fail = (init: Omit<ErrorRecordInit, 'commandName' | 'commandClass' | 'category' | 'reason'> & { category?: string }) => never;

/** Exact name or alias first; otherwise a prefix that identifies exactly one parameter. */
function resolveParameter(params: readonly ParameterDef[], typed: string, extent: Extent, fail: Fail): ParameterDef {
  const lower = typed.toLowerCase();
  const exact = params.find((p) => p.name.toLowerCase() === lower || p.aliases?.some((a) => a.toLowerCase() === lower));
  if (exact) return exact;
  const matches = params.filter((p) => p.name.toLowerCase().startsWith(lower) || p.aliases?.some((a) => a.toLowerCase().startsWith(lower)));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    fail({
      message: `Parameter cannot be processed because the parameter name '${typed}' is ambiguous. Possible matches include: ${matches.map((p) => `-${p.name}`).join(' ')}.`,
      errorId: 'AmbiguousParameter',
      extent,
    });
  }
  return fail({ message: `A parameter cannot be found that matches parameter name '${typed}'.`, errorId: 'NamedParameterNotFound', extent });
}

const FQDN = /^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function describe(v: PsValue): string {
  if (Array.isArray(v)) return 'System.Object[]';
  if (v instanceof PsHashtable) return 'System.Collections.Hashtable';
  return toPsString(v);
}

function convert(p: ParameterDef, value: PsValue, extent: Extent, fail: Fail): BoundValue {
  const t = p.type;
  const cannotConvert = (detail: string): never =>
    fail({ message: `Cannot bind parameter '${p.name}'. Cannot convert value "${describe(value)}" to type "${typeName(t)}". Error: "${detail}"`, errorId: 'CannotConvertArgumentNoMessage', extent });
  const nullNotAllowed = (): never => fail({ message: `Cannot bind argument to parameter '${p.name}' because it is null.`, errorId: 'ParameterArgumentValidationErrorNullNotAllowed', category: 'InvalidData', extent });
  const arrayToScalar = (): never =>
    fail({
      message: `Cannot convert '${describe(value)}' to the type '${typeName(t)}' required by parameter '${p.name}'. Specified method is not supported.`,
      errorId: 'CannotConvertArgument',
      extent,
    });
  switch (t.kind) {
    case 'switch':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      return fail({
        message: `Cannot process argument transformation on parameter '${p.name}'. Cannot convert value "${describe(value)}" to type "System.Management.Automation.SwitchParameter". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
        errorId: 'ParameterArgumentTransformationError',
        extent,
      });
    case 'object':
    case 'hashtable':
      return value;
    case 'string':
    case 'identity':
      if (value === null) return null;
      return Array.isArray(value) ? value.map(toPsString).join(' ') : toPsString(value);
    case 'strings':
      if (value === null) return null;
      return (Array.isArray(value) ? value : [value]).map(toPsString);
    case 'int': {
      if (Array.isArray(value)) return arrayToScalar();
      const n = typeof value === 'number' ? value : Number(toPsString(value));
      if (value === null || !Number.isInteger(n)) return cannotConvert('Input string was not in a correct format.');
      if (t.min !== undefined && n < t.min) {
        fail({ message: `Cannot validate argument on parameter '${p.name}'. The ${n} argument is less than the minimum allowed range of ${t.min}. Supply an argument that is greater than or equal to ${t.min} and then try the command again.`, errorId: 'ParameterArgumentValidationError', category: 'InvalidData', extent });
      }
      return n;
    }
    case 'timespan': {
      const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(toPsString(value).trim());
      if (!m) return cannotConvert('String was not recognized as a valid TimeSpan.');
      return toPsString(value).trim();
    }
    case 'enum': {
      if (value === null) return fail({ message: `Cannot bind parameter '${p.name}'. Cannot convert null to type "${t.type.fullName}".`, errorId: 'CannotConvertArgumentNoMessage', extent });
      if (Array.isArray(value)) return arrayToScalar();
      if (value instanceof PsEnum && value.type.fullName === t.type.fullName) return value;
      if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= 0 && value < t.type.names.length) return new PsEnum(t.type, value);
        return cannotConvert(`Unable to match the identifier name ${value} to a valid enumerator name. Specify one of the following enumerator names and try again: ${t.type.names.join(', ')}`);
      }
      const parsed = t.type.parse(toPsString(value));
      if (!parsed) return cannotConvert(`Unable to match the identifier name ${toPsString(value)} to a valid enumerator name. Specify one of the following enumerator names and try again: ${t.type.names.join(', ')}`);
      return parsed;
    }
    case 'fqdn': {
      if (value === null) return nullNotAllowed();
      if (Array.isArray(value)) return arrayToScalar();
      const s = toPsString(value);
      if (!FQDN.test(s)) return cannotConvert(`"${s}" is not a valid FQDN.`);
      return s.toLowerCase();
    }
    case 'fqdnList': {
      if (value === null) return { replace: [] };
      const fqdns = (v: PsValue | undefined): string[] => {
        const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
        return list.map((x) => {
          const s = toPsString(x);
          if (!FQDN.test(s) || x instanceof PsHashtable || x instanceof PsObject) cannotConvert(`"${s}" is not a valid FQDN.`);
          return s.toLowerCase();
        });
      };
      if (value instanceof PsHashtable) {
        const unknown = value.keys().filter((k) => !['add', 'remove', 'replace'].includes(k.toLowerCase()));
        if (unknown.length) {
          fail({
            message: `Cannot bind parameter '${p.name}'. Cannot convert the "System.Collections.Hashtable" value of type "System.Collections.Hashtable" to type "${typeName(t)}".`,
            errorId: 'CannotConvertArgumentNoMessage',
            extent,
          });
        }
        if (value.hasKey('replace')) {
          if (value.hasKey('add') || value.hasKey('remove')) {
            fail({ message: `Cannot bind parameter '${p.name}'. The Replace operation cannot be combined with Add or Remove.`, errorId: 'CannotConvertArgumentNoMessage', extent });
          }
          return { replace: fqdns(value.get('replace')) };
        }
        return { add: fqdns(value.get('add')), remove: fqdns(value.get('remove')) };
      }
      return { replace: fqdns(value) };
    }
  }
}
