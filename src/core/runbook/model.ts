/**
 * The runbook model: what the parser produces, the rules check, the language server shows and the
 * recovery engine executes. Plain data; every node keeps its source range (0-based, LSP style).
 */
import type { PcDatabase, StoreRole } from '../estate/model';
import type { Problem, Range } from '../text';

export type RunbookKind =
  | 'persistent-chat-failover'
  | 'persistent-chat-failback'
  | 'conference-restore'
  | 'pool-failover'
  | 'pool-failback'
  | 'custom';

export const RUNBOOK_KINDS: readonly RunbookKind[] = [
  'persistent-chat-failover',
  'persistent-chat-failback',
  'conference-restore',
  'pool-failover',
  'pool-failback',
  'custom',
];

/** A `key: value` of the front matter. `value` is the scalar as a string ('' when not a scalar). */
export interface FrontMatterEntry {
  readonly key: string;
  readonly value: string;
  readonly keyRange: Range;
  readonly valueRange: Range;
}

export interface FrontMatter {
  /** From the opening `---` to the closing `---`. */
  readonly range: Range;
  readonly entries: readonly FrontMatterEntry[];
  /** YAML syntax errors, or a front matter that is not a mapping. */
  readonly errors: readonly { readonly message: string; readonly range: Range }[];
}

/** Where a `sql` or `lync` action runs: `on=backup`, `on=backup:mgccomp` or an estate SQL instance id. */
export interface TargetRef {
  readonly raw: string;
  /** Set when `raw` names a store role (`primary`, `mirror`, `backup`, `backupMirror`). */
  readonly role?: StoreRole;
  /** The database whose store the role belongs to; `mgc` unless `:mgccomp` is given. */
  readonly database: PcDatabase;
  /** Set when `raw` is not a role: the estate SQL instance id it names. */
  readonly instanceId?: string;
  readonly range: Range;
}

/** `key=value` in a fence info string or in a `lync` action line. */
export interface Attribute {
  readonly key: string;
  readonly value: string;
  readonly keyRange: Range;
  readonly valueRange: Range;
  /** The whole `key=value` text. */
  readonly range: Range;
}

// ---------------------------------------------------------------- PowerShell

export type PsArgumentKind = 'string' | 'bare' | 'variable' | 'hashtable' | 'array' | 'expression';

export interface PsHashEntry {
  readonly key: string;
  readonly values: readonly PsArgument[];
}

export interface PsArgument {
  readonly kind: PsArgumentKind;
  /** Source text. */
  readonly text: string;
  /** The value without quotes for strings and bare words; the source text otherwise. */
  readonly value: string;
  readonly range: Range;
  /** `@{Add="a","b"}`: the entries. */
  readonly entries?: readonly PsHashEntry[];
  /** `"a","b"`: the items. */
  readonly items?: readonly PsArgument[];
}

export interface PsParameter {
  /** Name without the dash or a trailing colon, as written. */
  readonly name: string;
  /** The dash character written: `-` or an en/em dash (which PowerShell accepts, the grammar doesn't). */
  readonly dash: string;
  /** `-Name` (dash included). */
  readonly range: Range;
  readonly value?: PsArgument;
}

export interface PsCommand {
  readonly name: string;
  readonly nameRange: Range;
  readonly parameters: readonly PsParameter[];
  /** Arguments not bound to a named parameter, in order. */
  readonly positional: readonly PsArgument[];
  readonly range: Range;
  readonly text: string;
}

// ---------------------------------------------------------------- T-SQL

export interface SqlToken {
  readonly kind: 'word' | 'string' | 'number' | 'variable' | 'punct' | 'quoted';
  /** Source text. */
  readonly text: string;
  /** Identifiers without brackets/quotes, strings without `N'…'`, words upper-cased for keywords comparisons is left to users. */
  readonly value: string;
  readonly range: Range;
}

export interface SqlProcArgument {
  readonly name?: string;
  readonly value: string;
  readonly range: Range;
}

export interface SqlStatement {
  /** Upper-case first keyword: `EXEC` (also for EXECUTE and bare procedure calls), `RESTORE`, `USE`, `SELECT`, `KILL`, … */
  readonly verb: string;
  readonly text: string;
  readonly range: Range;
  readonly tokens: readonly SqlToken[];
  /** Database the statement runs in: the last `USE` of the block before it; undefined = connection default (master). */
  readonly contextDatabase?: string;
  /** The database the statement acts on (RESTORE/BACKUP/ALTER DATABASE/USE target, first argument of a log-shipping proc). */
  readonly database?: { readonly name: string; readonly range: Range };
  /** `RESTORE LOG|DATABASE|HEADERONLY…`, `BACKUP LOG|DATABASE`. */
  readonly object?: string;
  /** Upper-case WITH options: `NORECOVERY`, `RECOVERY`, `REPLACE`, `STANDBY`, `MOVE`… */
  readonly options: readonly string[];
  /** Whether a RESTORE/BACKUP has a FROM/TO clause. */
  readonly hasSource: boolean;
  /** EXEC: procedure name (lower case, without brackets) and its qualifiers (`master`, `dbo`). */
  readonly procedure?: { readonly name: string; readonly qualifiers: readonly string[]; readonly range: Range };
  readonly args: readonly SqlProcArgument[];
}

export interface SqlSyntaxError {
  readonly message: string;
  readonly range: Range;
}

// ---------------------------------------------------------------- lync

export interface LyncCommand {
  readonly name: string;
  readonly nameRange: Range;
  readonly attributes: readonly Attribute[];
  /** Quoted or bare words that are not `key=value` (the text of `confirm "…"`). */
  readonly positional: readonly { readonly value: string; readonly range: Range }[];
  readonly range: Range;
  readonly text: string;
}

// ---------------------------------------------------------------- actions and steps

export type ActionKind = 'powershell' | 'sql' | 'lync';

interface ActionBase {
  readonly kind: ActionKind;
  /** Index of the action inside its step (0-based): with the step id and the text, the journal key. */
  readonly index: number;
  readonly stepId: string;
  /** Content of the fence (without the fence lines). */
  readonly text: string;
  /** The content lines. */
  readonly range: Range;
  /** From the opening fence to the closing fence. */
  readonly fenceRange: Range;
  /** The opening fence line's info string, e.g. `sql on=backup`. */
  readonly infoRange: Range;
  readonly language: string;
  readonly attributes: readonly Attribute[];
  readonly target?: TargetRef;
}

/**
 * A piece of PowerShell syntax beyond the plain structure of a block (statement lists, pipelines,
 * command elements, operator precedence, literals): a variable, a member access, a method call,
 * an assignment, a redirection, a script block, a call operator… By its grammar node type.
 */
export interface PsConstruct {
  readonly type: string;
  readonly text: string;
  readonly range: Range;
}

export interface PowerShellAction extends ActionBase {
  readonly kind: 'powershell';
  readonly commands: readonly PsCommand[];
  /** Every construct of the block, in document order (what classification judges besides the commands). */
  readonly constructs: readonly PsConstruct[];
  /** Ranges the grammar could not parse. */
  readonly syntaxErrors: readonly Range[];
  /** Why the block was not read at all (too large, too slow or too deeply nested to parse): it cannot run. */
  readonly unchecked?: string;
}

export interface SqlAction extends ActionBase {
  readonly kind: 'sql';
  readonly statements: readonly SqlStatement[];
  readonly syntaxErrors: readonly SqlSyntaxError[];
}

export interface LyncAction extends ActionBase {
  readonly kind: 'lync';
  readonly commands: readonly LyncCommand[];
}

export type Action = PowerShellAction | SqlAction | LyncAction;

export interface Step {
  readonly id: string;
  readonly title: string;
  /** Whether the id came from `{#explicit-id}`. */
  readonly explicitId: boolean;
  /** The heading line. */
  readonly headingRange: Range;
  /** From the heading to the line before the next `##` (or the end of the document). */
  readonly range: Range;
  readonly actions: readonly Action[];
}

export interface Runbook {
  readonly text: string;
  readonly lineCount: number;
  readonly frontMatter?: FrontMatter;
  /** `runbook:` when it is a known kind. */
  readonly kind?: RunbookKind;
  readonly title?: { readonly text: string; readonly range: Range };
  readonly steps: readonly Step[];
  /** Fences that are not actions and sit outside any step are ignored; actions before the first step land here. */
  readonly orphanActions: readonly Action[];
  /**
   * Where the parser stopped reading (Markdown nested deeper than it follows): nothing from here on
   * is a step or an action, so the runbook is reported and cannot run rather than silently shorter.
   */
  readonly unread?: { readonly range: Range; readonly message: string };
}

/** A problem produced by a rule, with optional quick-fix data. */
export interface RuleProblem extends Problem {
  readonly fixes?: readonly Fix[];
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}
