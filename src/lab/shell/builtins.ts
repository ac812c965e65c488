/**
 * The few core PowerShell commands the product and runbooks use around Lync cmdlets:
 * Import-Module, Write-Output, Write-Host, ConvertTo-Json, Select-Object, Where-Object,
 * ForEach-Object, Out-String, Out-Null.
 */
import type { Command, InvocationContext } from './commands';
import { flag, str, strings, value } from './commands';
import { PsError } from './errors';
import { convertToJson } from './json';
import { collapse, member, truthy } from './session';
import { PS_CUSTOM_OBJECT, PsHashtable, PsObject, PsScriptBlock, psEquals, psLike, toPsString, type PsValue } from './values';

const UTIL = 'Microsoft.PowerShell.Commands';

/** Pipeline input if there is some, else the -InputObject value. */
function inputs(ctx: InvocationContext): PsValue[] {
  if (ctx.hasInput) return [...ctx.input];
  const v = value(ctx.binding, 'InputObject');
  return v === undefined ? [] : [v];
}

const LYNC_MODULE = /(^|[\\/])(lync|skypeforbusiness)(\.psd1)?$/i;

const importModule: Command = {
  name: 'Import-Module',
  className: `${UTIL}.ImportModuleCommand`,
  params: [
    { name: 'Name', type: { kind: 'strings' }, all: { mandatory: true, position: 0 } },
    { name: 'Force', type: { kind: 'switch' } },
    { name: 'Global', type: { kind: 'switch' } },
    { name: 'DisableNameChecking', type: { kind: 'switch' } },
    { name: 'PassThru', type: { kind: 'switch' } },
  ],
  run(ctx) {
    for (const name of strings(ctx.binding, 'Name') ?? []) {
      if (!LYNC_MODULE.test(name.trim())) {
        throw new PsError({
          message: `The specified module '${name}' was not loaded because no valid module file was found in any module directory.`,
          category: 'ResourceUnavailable',
          reason: 'FileNotFoundException',
          errorId: 'Modules_ModuleNotFound',
          targetName: name,
          targetType: 'String',
        });
      }
    }
    return [];
  },
};

const writeOutput: Command = {
  name: 'Write-Output',
  className: `${UTIL}.WriteOutputCommand`,
  params: [
    { name: 'InputObject', type: { kind: 'object' }, all: { mandatory: true, position: 0 }, fromPipeline: true, remaining: true },
    { name: 'NoEnumerate', type: { kind: 'switch' } },
  ],
  run: (ctx) => inputs(ctx),
};

const writeHost: Command = {
  name: 'Write-Host',
  className: `${UTIL}.WriteHostCommand`,
  params: [
    { name: 'Object', type: { kind: 'object' }, all: { position: 0 }, fromPipeline: true, remaining: true },
    { name: 'NoNewline', type: { kind: 'switch' } },
    { name: 'Separator', type: { kind: 'object' } },
    { name: 'ForegroundColor', type: { kind: 'string' } },
    { name: 'BackgroundColor', type: { kind: 'string' } },
  ],
  // With stdout redirected, Write-Host text lands on stdout like output.
  run: (ctx) => [(ctx.hasInput ? [...ctx.input] : [value(ctx.binding, 'Object') ?? '']).map(toPsString).join(' ')],
};

const convertToJsonCmd: Command = {
  name: 'ConvertTo-Json',
  className: `${UTIL}.ConvertToJsonCommand`,
  params: [
    { name: 'InputObject', type: { kind: 'object' }, all: { mandatory: true, position: 0 }, fromPipeline: true },
    { name: 'Depth', type: { kind: 'int', min: 1 } },
    { name: 'Compress', type: { kind: 'switch' } },
  ],
  run(ctx) {
    // ConvertTo-Json collects its input: one object is written as itself, several as an array.
    const items = ctx.hasInput ? ctx.input.filter((x) => x !== null) : [value(ctx.binding, 'InputObject') ?? null];
    if (items.length === 0) return [];
    const depthValue = ctx.binding.values.get('Depth');
    const depth = typeof depthValue === 'number' ? depthValue : 2;
    return [convertToJson(items.length === 1 ? items[0] : items, depth, flag(ctx.binding, 'Compress'))];
  },
};

/** A Select-Object property: a name (wildcards allowed) or `@{Name=…; Expression=…}`. */
function selectProperty(ctx: InvocationContext, spec: PsValue, item: PsValue, into: PsObject): void {
  if (spec instanceof PsHashtable) {
    const name = spec.get('Name') ?? spec.get('N') ?? spec.get('Label') ?? spec.get('L');
    const expr = spec.get('Expression') ?? spec.get('E');
    if (name === undefined || expr === undefined) {
      throw new PsError({ message: 'The "Expression" key is missing or the "Name" key is missing in a calculated property.', category: 'InvalidArgument', reason: 'NotSupportedException', errorId: 'DictionaryKeyMissing' });
    }
    into.set(toPsString(name), expr instanceof PsScriptBlock ? collapse(ctx.invokeBlock(expr, item)) : member(item, toPsString(expr)));
    return;
  }
  const pattern = toPsString(spec);
  if (/[*?]/.test(pattern) && item instanceof PsObject) {
    for (const [k, v] of item.entries()) if (psLike(k, pattern)) into.set(k, v);
    return;
  }
  into.set(pattern, member(item, pattern));
}

const selectObject: Command = {
  name: 'Select-Object',
  className: `${UTIL}.SelectObjectCommand`,
  params: [
    { name: 'Property', type: { kind: 'object' }, all: { position: 0 } },
    { name: 'ExpandProperty', type: { kind: 'string' } },
    { name: 'First', type: { kind: 'int', min: 0 } },
    { name: 'Last', type: { kind: 'int', min: 0 } },
    { name: 'InputObject', type: { kind: 'object' }, fromPipeline: true },
  ],
  run(ctx) {
    let items = inputs(ctx);
    const first = ctx.binding.values.get('First');
    const last = ctx.binding.values.get('Last');
    if (typeof first === 'number') items = items.slice(0, first);
    if (typeof last === 'number') items = last === 0 ? [] : items.slice(-last);
    const expand = str(ctx.binding, 'ExpandProperty');
    const props = value(ctx.binding, 'Property');
    if (expand !== undefined) {
      return items.flatMap((item) => {
        if (!(item instanceof PsObject) || !item.has(expand)) {
          throw new PsError({ message: `Property "${expand}" cannot be found.`, category: 'InvalidArgument', reason: 'PSArgumentException', errorId: 'ExpandPropertyNotFound', targetName: toPsString(item), targetType: 'PSObject' });
        }
        const v = item.get(expand) ?? null;
        return Array.isArray(v) ? v : [v];
      });
    }
    if (props === undefined || props === null) return items;
    const specs = Array.isArray(props) ? props : [props];
    return items.map((item) => {
      const o = new PsObject(PS_CUSTOM_OBJECT, [], '');
      for (const spec of specs) selectProperty(ctx, spec, item, o);
      return o;
    });
  },
};

const whereObject: Command = {
  name: 'Where-Object',
  className: `${UTIL}.WhereObjectCommand`,
  defaultSet: 'EqualSet',
  params: [
    { name: 'FilterScript', type: { kind: 'object' }, sets: { ScriptBlockSet: { mandatory: true, position: 0 } } },
    { name: 'Property', type: { kind: 'string' }, sets: { EqualSet: { mandatory: true, position: 0 }, NotEqualSet: { mandatory: true, position: 0 }, LikeSet: { mandatory: true, position: 0 } } },
    { name: 'Value', type: { kind: 'object' }, sets: { EqualSet: { position: 1 }, NotEqualSet: { position: 1 }, LikeSet: { position: 1 } } },
    { name: 'EQ', type: { kind: 'switch' }, aliases: ['IEQ'], sets: { EqualSet: { mandatory: true } } },
    { name: 'NE', type: { kind: 'switch' }, aliases: ['INE'], sets: { NotEqualSet: { mandatory: true } } },
    { name: 'Like', type: { kind: 'switch' }, aliases: ['ILike'], sets: { LikeSet: { mandatory: true } } },
    { name: 'InputObject', type: { kind: 'object' }, fromPipeline: true, sets: { ScriptBlockSet: {}, EqualSet: {}, NotEqualSet: {}, LikeSet: {} } },
  ],
  run(ctx) {
    const items = inputs(ctx);
    const block = value(ctx.binding, 'FilterScript');
    if (ctx.binding.set === 'ScriptBlockSet') {
      if (!(block instanceof PsScriptBlock)) {
        throw new PsError({ message: `Cannot bind parameter 'FilterScript'. Cannot convert the "${toPsString(block ?? null)}" value of type "System.String" to type "System.Management.Automation.ScriptBlock".`, category: 'InvalidArgument', reason: 'ParameterBindingException', errorId: 'CannotConvertArgumentNoMessage' });
      }
      return items.filter((item) => truthy(collapse(ctx.invokeBlock(block, item))));
    }
    const prop = str(ctx.binding, 'Property') ?? '';
    const expected = value(ctx.binding, 'Value') ?? null;
    return items.filter((item) => {
      const actual = member(item, prop);
      if (ctx.binding.set === 'LikeSet') return psLike(toPsString(actual), toPsString(expected));
      return ctx.binding.set === 'NotEqualSet' ? !psEquals(actual, expected) : psEquals(actual, expected);
    });
  },
};

const forEachObject: Command = {
  name: 'ForEach-Object',
  className: `${UTIL}.ForEachObjectCommand`,
  params: [
    { name: 'Process', type: { kind: 'object' }, all: { mandatory: true, position: 0 } },
    { name: 'InputObject', type: { kind: 'object' }, fromPipeline: true },
  ],
  run(ctx) {
    const block = value(ctx.binding, 'Process');
    const items = inputs(ctx);
    if (block instanceof PsScriptBlock) return items.flatMap((item) => ctx.invokeBlock(block, item));
    // `ForEach-Object Name`: member access on each input.
    return items.map((item) => member(item, toPsString(block ?? null)));
  },
};

const outString: Command = {
  name: 'Out-String',
  className: `${UTIL}.OutStringCommand`,
  params: [
    { name: 'InputObject', type: { kind: 'object' }, fromPipeline: true },
    { name: 'Width', type: { kind: 'int', min: 2 } },
    { name: 'Stream', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const lines = ctx.format(inputs(ctx));
    return flag(ctx.binding, 'Stream') ? lines : [lines.map((l) => `${l}\r\n`).join('')];
  },
};

const outNull: Command = {
  name: 'Out-Null',
  className: `${UTIL}.OutNullCommand`,
  params: [{ name: 'InputObject', type: { kind: 'object' }, fromPipeline: true }],
  run: () => [],
};

export const BUILTIN_COMMANDS: readonly Command[] = [importModule, writeOutput, writeHost, convertToJsonCmd, selectObject, whereObject, forEachObject, outString, outNull];
