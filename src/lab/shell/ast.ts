/**
 * Syntax tree of the one-line PowerShell statements the stand-in understands. Offsets are
 * 0-based positions in the line; they become `At line:1 char:N` positions in error records.
 */

export interface Extent {
  readonly start: number;
  readonly end: number;
}

/** Literal text or an embedded expression (`$name`, `$(…)`) of an expandable string. */
export type StringPart = string | Expr;

export type Expr =
  | { kind: 'string'; value: string; extent: Extent }
  | { kind: 'expandable'; parts: StringPart[]; extent: Extent }
  /** An unquoted argument (`atl-cs-001.litwareinc.com`, `global`). */
  | { kind: 'bareword'; value: string; extent: Extent }
  | { kind: 'number'; value: number; extent: Extent }
  | { kind: 'variable'; name: string; extent: Extent }
  | { kind: 'member'; target: Expr; name: string; extent: Extent }
  | { kind: 'static'; type: string; name: string; extent: Extent }
  | { kind: 'call'; target: Expr; method: string; args: Expr[]; extent: Extent }
  | { kind: 'type'; type: string; extent: Extent }
  | { kind: 'cast'; type: string; operand: Expr; extent: Extent }
  | { kind: 'array'; items: Expr[]; extent: Extent }
  | { kind: 'hashtable'; entries: { key: string; value: Expr }[]; extent: Extent }
  /** `( … )`, `$( … )` and `@( … )`; `arrayForced` for `@( … )`. */
  | { kind: 'sub'; statements: Statement[]; arrayForced: boolean; extent: Extent }
  | { kind: 'scriptblock'; statements: Statement[]; text: string; extent: Extent }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; extent: Extent }
  | { kind: 'not'; operand: Expr; extent: Extent };

export type CommandArg =
  /** `-Name`, or `-Name:value` when `value` is set. `dash` is the dash character used. */
  | { kind: 'param'; name: string; value?: Expr; extent: Extent }
  | { kind: 'arg'; value: Expr; extent: Extent };

export interface CommandElement {
  readonly kind: 'command';
  readonly name: string;
  readonly nameExtent: Extent;
  readonly args: CommandArg[];
  readonly extent: Extent;
}

export interface ExprElement {
  readonly kind: 'expr';
  readonly expr: Expr;
  readonly extent: Extent;
}

/** `. <expr>` / `& <expr>`: runs a script block (dot-sourced or not; the stand-in has one scope). */
export interface InvokeElement {
  readonly kind: 'invoke';
  readonly target: Expr;
  readonly extent: Extent;
}

export type PipelineElement = CommandElement | ExprElement | InvokeElement;

export type Statement =
  | { kind: 'pipeline'; elements: PipelineElement[]; extent: Extent }
  | { kind: 'assign'; target: Expr; value: Statement; extent: Extent }
  | { kind: 'exit'; code?: Expr; extent: Extent }
  | { kind: 'try'; body: Statement[]; catchBody?: Statement[]; finallyBody?: Statement[]; extent: Extent };
