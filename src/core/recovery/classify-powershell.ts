/**
 * Whether a `powershell` block may change state: destructive unless every command and every
 * construct of it is proven harmless. From the product's own parse (tree-sitter): a syntax error,
 * an unknown construct or a hidden character makes it destructive.
 *
 * Harmless commands are named plainly (no call operator `&`, no dot-sourcing, no path, no variable)
 * and are one of: a cmdlet with a read verb (`Get`, `Test`, `Measure`, `Select`, `Sort`, `Format`,
 * `Group`, `Compare`, `ConvertTo`, `ConvertFrom`), `Where-Object`, `ForEach-Object` with script
 * blocks only (`ForEach-Object Delete` calls a method), the `Out-` and `Write-` cmdlets that only
 * show, and their aliases below; none is given a splatted argument (`@params`: its parameters are
 * not visible). Harmless constructs read values, build them, compare them or branch on them.
 * Everything else is destructive: method calls (`$x.Delete()`, `[IO.File]::Delete()`), assignment
 * to anything but a plain local variable (`$env:PATH = …`), redirection to a file (`>`, `>>`),
 * functions, `Invoke-Expression`/`iex`, `Start-Process`, `Out-File`, `Set-Content`, `Import-Module`…
 *
 * Assumption: the session's commands are PowerShell's and the Lync module's; a profile or prelude
 * that redefines `Get-…` as something else is outside what this can see.
 */
import type { PowerShellAction, PsArgument, PsCommand, PsConstruct } from '../runbook/model';
import { hasHiddenCharacters } from '../text';

/** Approved verbs (`Get-Verb`) whose cmdlets only read or shape output. */
const READ_VERBS = new Set(['get', 'test', 'measure', 'select', 'sort', 'format', 'group', 'compare', 'convertto', 'convertfrom']);
/** Commands outside those verbs that only filter, shape or show output. */
const READ_COMMANDS = new Set([
  'where-object', 'foreach-object', 'out-null', 'out-string', 'out-host', 'out-default',
  'write-host', 'write-output', 'write-verbose', 'write-warning', 'write-information', 'write-debug', 'write-progress', 'write-error',
]);
/** Built-in aliases of those commands (`Get-Alias`). */
const READ_ALIASES = new Map([
  ['%', 'foreach-object'], ['foreach', 'foreach-object'], ['?', 'where-object'], ['where', 'where-object'], ['select', 'select-object'],
  ['sort', 'sort-object'], ['measure', 'measure-object'], ['group', 'group-object'], ['ft', 'format-table'], ['fl', 'format-list'],
  ['echo', 'write-output'], ['gci', 'get-childitem'], ['dir', 'get-childitem'], ['ls', 'get-childitem'], ['gc', 'get-content'],
  ['cat', 'get-content'], ['gi', 'get-item'], ['gm', 'get-member'],
]);
/** ForEach-Object parameters that take script blocks (the others call a member or feed input). */
const FOREACH_SCRIPT_PARAMETERS = new Set(['process', 'begin', 'end']);

/** Constructs that read, build, compare or branch, and never act by themselves. */
const HARMLESS_CONSTRUCTS = new Set([
  'variable', 'member_access', 'element_access', 'member_name', 'simple_name', 'parenthesized_expression', 'sub_expression',
  'array_expression', 'hash_literal_expression', 'hash_literal_body', 'hash_entry', 'key_expression', 'script_block_expression',
  'script_block', 'script_block_body', 'statement_block', 'if_statement', 'elseif_clauses', 'elseif_clause', 'else_clause',
  'foreach_statement', 'type_literal', 'type_spec', 'type_name', 'type_identifier', 'cast_expression', 'expression_with_unary_operator',
  'comparison_operator', 'format_operator', 'assignement_operator', 'left_assignment_expression', 'redirected_file_name',
  'merging_redirection_operator', 'file_redirection_operator',
]);
/** A plain local variable (with an optional type constraint): no scope, drive or provider path. */
const LOCAL_VARIABLE = /^(\[[\w.]+\]\s*)?\$[A-Za-z_][\w]*$/;

const constructIsHarmless = (c: PsConstruct): boolean => {
  switch (c.type) {
    case 'assignment_expression':
      return LOCAL_VARIABLE.test(c.text.slice(0, c.text.search(/[-+*/%]?=/)).trim());
    case 'redirection':
      // `2>&1` merges streams; `> $null` discards. Any other target writes a file.
      return /^(\d|\*)?>&\d$/.test(c.text.trim()) || /^(\d|\*)?>>?\s*\$null$/i.test(c.text.trim());
    case 'generic_token':
      // A bare word holding `>` or `<` is a redirection the grammar did not see (`>c:\x.txt`).
      return !/[<>]/.test(c.text);
    default:
      return HARMLESS_CONSTRUCTS.has(c.type);
  }
};

const isSplat = (a: PsArgument | undefined): boolean => a?.kind === 'variable' && a.text.startsWith('@');
const isScriptBlock = (a: PsArgument | undefined): boolean => !!a && a.kind === 'expression' && a.text.startsWith('{');

function commandIsHarmless(command: PsCommand): boolean {
  const written = command.name.toLowerCase();
  const name = READ_ALIASES.get(written) ?? written;
  if (!/^[a-z]+-[a-z0-9]+$/.test(name)) return false;
  if (!READ_VERBS.has(name.split('-')[0]!) && !READ_COMMANDS.has(name)) return false;
  if (command.positional.some(isSplat) || command.parameters.some((p) => isSplat(p.value))) return false;
  if (name === 'foreach-object') {
    return command.positional.every(isScriptBlock) && command.parameters.every((p) => FOREACH_SCRIPT_PARAMETERS.has(p.name.toLowerCase()) && isScriptBlock(p.value));
  }
  return true;
}

/**
 * A block comment or a here-string: the shell is sent the block one line at a time
 * (`powershellStatements`, plan.ts), where these read differently than in the whole-block parse.
 */
const SPANS_LINES = /<#|@["']\s*$/m;

export function powershellIsDestructive(action: PowerShellAction): boolean {
  if (action.syntaxErrors.length > 0 || hasHiddenCharacters(action.text) || SPANS_LINES.test(action.text)) return true;
  return !action.commands.every(commandIsHarmless) || !action.constructs.every(constructIsHarmless);
}
