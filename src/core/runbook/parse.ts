/**
 * The runbook parser: front matter (yaml), Markdown structure (markdown-it, block rules only —
 * inline parsing is skipped because only headings and fences matter), steps (`##` headings),
 * actions (fences `powershell|ps1|pwsh`, `sql|tsql`, `lync`), and the statements inside them.
 */
import MarkdownIt from 'markdown-it';
import { STORE_ROLES, type PcDatabase, type StoreRole } from '../estate/model';
import type { Range } from '../text';
import { withLineFeeds } from '../text-files';
import { BoundedCache } from './bounded-cache';
import { parseFrontMatter } from './frontmatter';
import { LineIndex, lineRange, range, shift } from './lines';
import { parseLyncLine, splitWords, toAttribute } from './lync';
import { RUNBOOK_KINDS, type Action, type ActionKind, type Attribute, type LyncCommand, type Runbook, type Step, type TargetRef } from './model';
import type { PowerShellParser } from './powershell';
import { stepIdOf } from './slug';
import { parseSql } from './sql';

export const ACTION_LANGUAGES: Readonly<Record<string, ActionKind>> = {
  powershell: 'powershell',
  ps1: 'powershell',
  pwsh: 'powershell',
  sql: 'sql',
  tsql: 'sql',
  lync: 'lync',
};

export interface ParseOptions {
  readonly powershell: PowerShellParser;
  /**
   * The runbook parsed from the previous version of the same document, when there is one (an
   * editor). The result is the same as without it; it is only faster: an edit inside a code block
   * that provably leaves the block structure alone re-parses that block only, and unchanged steps
   * and actions are the previous objects (which lets the rules reuse their findings).
   */
  readonly previous?: Runbook;
}

/**
 * Built actions by everything that determines them: an edit inside one block (the usual keystroke)
 * rebuilds only that block; the others are reused as the same objects, so rules can cache per
 * action too. One cache per PowerShell parser (i.e. per server or CLI run); bounded by the characters it holds.
 */
const actionCaches = new WeakMap<PowerShellParser, BoundedCache<Action>>();
/** Characters of fences kept built: as for the PowerShell parser's cache, a bound on memory. */
const ACTION_CACHE_CHARS = 512 * 1024;

/** What markdown-it's environment carries back from a parse. */
interface MarkdownEnv {
  /** The first line markdown-it skipped because it was nested deeper than `maxNesting`. */
  skippedFrom?: number;
}

const markdown = (() => {
  const md = new MarkdownIt();
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);
  // markdown-it stops reading, silently, at `maxNesting` levels (100: about 50 nested list items or
  // quotes) and skips the rest of the container, which can be the rest of the document. Note where,
  // so the runbook reports it instead of losing its later steps.
  const maxNesting = (md.options as { maxNesting?: number }).maxNesting ?? 100;
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    if (state.level >= maxNesting) {
      const first = state.skipEmptyLines(startLine);
      const env = state.env as MarkdownEnv;
      if (first < endLine && (env.skippedFrom === undefined || first < env.skippedFrom)) env.skippedFrom = first;
    }
    tokenize(state, startLine, endLine);
  };
  return md;
})();

/** A fenced code block as markdown-it saw it (line numbers of the document). */
interface Fence {
  readonly open: number;
  /** The line after the block (markdown-it's `map[1]`). */
  readonly end: number;
  readonly markup: string;
  /**
   * Whether an edit of a content line that does not turn it into a closing fence leaves the block
   * structure alone: a closed top-level fence whose opening line starts with the markup (markdown-it
   * then takes the content lines verbatim).
   */
  readonly simple: boolean;
  /** For action fences: the action kind, the step index (-1: orphan) and the index in the step. */
  readonly kind?: ActionKind;
  readonly step: number;
  readonly index: number;
}

/** What an incremental re-parse needs from the previous parse, kept beside the runbook. */
interface ParseState {
  readonly lines: LineIndex;
  readonly fences: readonly Fence[];
  /** The text has a `\r` not followed by `\n`, or a NUL: markdown-it's line numbers or contents differ then. */
  readonly irregular: boolean;
}
const parseStates = new WeakMap<Runbook, ParseState>();

const IRREGULAR = /\r(?!\n)|\0/;

export function parseRunbook(written: string, options: ParseOptions): Runbook {
  const text = withLineFeeds(written);
  const previous = options.previous;
  if (previous) {
    if (previous.text === text && parseStates.has(previous)) return previous;
    const edited = reparseEdit(previous, text, options);
    if (edited) return edited;
  }
  return parseFull(text, options);
}

function actionCache(options: ParseOptions): BoundedCache<Action> {
  let cache = actionCaches.get(options.powershell);
  if (!cache) actionCaches.set(options.powershell, (cache = new BoundedCache(ACTION_CACHE_CHARS)));
  return cache;
}

function cachedAction(
  kind: ActionKind,
  map: [number, number],
  markup: string,
  content: string,
  lines: LineIndex,
  stepId: string,
  index: number,
  options: ParseOptions,
): Action {
  const key = `${kind}\u0000${map[0]}\u0000${map[1]}\u0000${lines.line(map[0])}\u0000${stepId}\u0000${index}\u0000${content}`;
  const cache = actionCache(options);
  let action = cache.get(key);
  if (!action) {
    action = buildAction(kind, map, markup, content, lines, stepId, index, options);
    cache.set(key, action);
  }
  return action;
}

function parseFull(text: string, options: ParseOptions): Runbook {
  const lines = new LineIndex(text);
  const fm = parseFrontMatter(lines);
  // Blank the front matter out (keeping its lines) so markdown-it does not read `---` as a rule.
  const body = fm ? '\n'.repeat(fm.endLine + 1) + text.slice(lines.offsetOf({ line: fm.endLine + 1, character: 0 })) : text;
  const env: MarkdownEnv = {};
  const tokens = markdown.parse(body, env);

  const kindValue = fm?.frontMatter.entries.find((e) => e.key === 'runbook')?.value;
  const kind = RUNBOOK_KINDS.find((k) => k === kindValue);

  let title: Runbook['title'];
  const steps: { id: string; title: string; explicit: boolean; line: number; actions: Action[] }[] = [];
  const orphanActions: Action[] = [];
  const fences: Fence[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open' && t.map) {
      const content = tokens[i + 1]?.content ?? '';
      const line = t.map[0];
      if (t.tag === 'h1' && !title) title = { text: content.trim(), range: lineRange(line, 0, lines.line(line).length) };
      if (t.tag === 'h2') {
        const { id, title: stepTitle, explicit } = stepIdOf(content);
        steps.push({ id, title: stepTitle, explicit, line, actions: [] });
      }
    } else if (t.type === 'fence' && t.map) {
      const map = t.map as [number, number];
      const closingLine = map[1] - 1;
      const simple =
        t.level === 0 &&
        lines.line(map[0]).startsWith(t.markup) &&
        closingLine > map[0] &&
        closingLine < lines.lineCount &&
        isClosingFence(lines.line(closingLine), t.markup);
      const language = t.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      const kindOfAction = ACTION_LANGUAGES[language];
      if (!kindOfAction) {
        fences.push({ open: map[0], end: map[1], markup: t.markup, simple, step: -1, index: -1 });
        continue;
      }
      const step = steps[steps.length - 1];
      const list = step ? step.actions : orphanActions;
      fences.push({ open: map[0], end: map[1], markup: t.markup, simple, kind: kindOfAction, step: steps.length - 1, index: list.length });
      list.push(cachedAction(kindOfAction, map, t.markup, t.content, lines, step?.id ?? '', list.length, options));
    }
  }

  const previousSteps = options.previous?.steps;
  const builtSteps: Step[] = steps.map((s, i) => {
    const next = steps[i + 1];
    const endLine = next ? next.line - 1 : lines.lineCount - 1;
    const step: Step = {
      id: s.id,
      title: s.title,
      explicitId: s.explicit,
      headingRange: lineRange(s.line, 0, lines.line(s.line).length),
      range: range(s.line, 0, endLine, lines.line(endLine).length),
      actions: s.actions,
    };
    // The previous step object when nothing in it changed (rules key their caches on it).
    const before = previousSteps?.[i];
    return before && sameStep(before, step) ? before : step;
  });

  const runbook: Runbook = {
    text,
    lineCount: lines.lineCount,
    ...(fm ? { frontMatter: fm.frontMatter } : {}),
    ...(kind ? { kind } : {}),
    ...(title ? { title } : {}),
    steps: builtSteps,
    orphanActions,
    ...(env.skippedFrom !== undefined ? { unread: unreadFrom(env.skippedFrom, lines) } : {}),
  };
  parseStates.set(runbook, { lines, fences, irregular: IRREGULAR.test(text) });
  return runbook;
}

function unreadFrom(line: number, lines: LineIndex): NonNullable<Runbook['unread']> {
  const last = lines.lineCount - 1;
  return {
    range: range(line, 0, last, lines.line(last).length),
    message: `From line ${line + 1} on, the Markdown is nested too deeply (lists or quotes inside one another, about 50 levels) to be read: nothing from here on is checked or can run. Flatten the nesting.`,
  };
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

function sameStep(a: Step, b: Step): boolean {
  if (a.id !== b.id || a.title !== b.title || a.explicitId !== b.explicitId || !sameRange(a.headingRange, b.headingRange) || !sameRange(a.range, b.range)) return false;
  if (a.actions.length !== b.actions.length) return false;
  for (let i = 0; i < a.actions.length; i++) if (a.actions[i] !== b.actions[i]) return false;
  return true;
}

/** Whether markdown-it could read `line` as the closing fence of a block opened with `markup`. */
function isClosingFence(line: string, markup: string): boolean {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return !!m && m[1]![0] === markup[0] && m[1]!.length >= markup.length;
}

/** Length of the common prefix of two strings. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  const CHUNK = 4096;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix of two strings, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  const CHUNK = 4096;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/**
 * The incremental path: when `text` differs from the previous text inside one content line of a
 * fenced block, the line break structure is the same and neither version of the line could close
 * the block, markdown-it would produce the same tokens except that block's content. Then only that
 * block is re-built; everything else is the previous objects. Undefined when the edit is anything
 * else (the caller parses from scratch).
 */
function reparseEdit(previous: Runbook, text: string, options: ParseOptions): Runbook | undefined {
  const state = parseStates.get(previous);
  if (!state || state.irregular) return undefined;
  const old = previous.text;
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const removed = old.slice(prefix, old.length - suffix);
  const inserted = text.slice(prefix, text.length - suffix);
  if (/[\r\n\0]/.test(removed) || /[\r\n\0]/.test(inserted) || (prefix > 0 && old.charCodeAt(prefix - 1) === 13)) return undefined;
  const line = state.lines.positionAt(prefix).line;
  // The fence whose content holds the line (fences are in document order).
  let lo = 0;
  let hi = state.fences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (state.fences[mid]!.open < line) lo = mid;
    else hi = mid - 1;
  }
  const fence = state.fences[lo];
  if (!fence || !fence.simple || !(fence.open < line && line < fence.end - 1)) return undefined;
  const lines = state.lines.editedLine(text, line, text.length - old.length);
  const marker = fence.markup[0]!;
  if (state.lines.line(line).trimStart().startsWith(marker) || lines.line(line).trimStart().startsWith(marker)) return undefined;

  const next: { -readonly [K in keyof Runbook]: Runbook[K] } = { ...previous, text };
  if (fence.kind) {
    let content = '';
    for (let l = fence.open + 1; l < fence.end - 1; l++) content += `${lines.line(l)}\n`;
    const step = fence.step >= 0 ? previous.steps[fence.step] : undefined;
    if (fence.step >= 0 && !step) return undefined;
    const action = cachedAction(fence.kind, [fence.open, fence.end], fence.markup, content, lines, step?.id ?? '', fence.index, options);
    const actions = [...(step ? step.actions : previous.orphanActions)];
    actions[fence.index] = action;
    if (step) {
      const steps = [...previous.steps];
      steps[fence.step] = { ...step, actions };
      next.steps = steps;
    } else next.orphanActions = actions;
  }
  const runbook: Runbook = next;
  parseStates.set(runbook, { lines, fences: state.fences, irregular: false });
  return runbook;
}

function buildAction(
  kind: ActionKind,
  map: [number, number],
  markup: string,
  content: string,
  lines: LineIndex,
  stepId: string,
  index: number,
  options: ParseOptions,
): Action {
  const openLine = map[0];
  const lastLine = Math.min(map[1], lines.lineCount) - 1;
  const opening = lines.line(openLine);
  const fenceColumn = Math.max(0, opening.indexOf(markup));
  // An unclosed fence runs to the end of its container: then the last line is content.
  const closed = lastLine > openLine && lines.line(lastLine).trim().startsWith(markup);
  const contentEndLine = closed ? lastLine - 1 : lastLine;
  const infoStart = fenceColumn + markup.length;
  const infoWords = splitWords(opening, infoStart);
  const language = infoWords[0]?.text ?? '';
  const attributes: Attribute[] = infoWords.slice(1).filter((w) => w.eq !== undefined).map((w) => toAttribute(w, openLine, 0));
  const on = attributes.find((a) => a.key === 'on');
  const target = on ? parseTarget(on.value, on.valueRange) : undefined;
  const text = content.endsWith('\n') ? content.slice(0, -1) : content;
  const contentRange =
    contentEndLine > openLine
      ? range(openLine + 1, 0, contentEndLine, lines.line(contentEndLine).length)
      : range(openLine + 1, 0, openLine + 1, 0);
  const base = {
    index,
    stepId,
    text,
    range: contentRange,
    fenceRange: range(openLine, 0, lastLine, lines.line(lastLine).length),
    infoRange: lineRange(openLine, infoStart, opening.trimEnd().length),
    language,
    attributes,
    ...(target ? { target } : {}),
  };
  const firstLine = openLine + 1;
  switch (kind) {
    case 'powershell': {
      const parsed = options.powershell.parse(text);
      const move = (r: Range) => shift(r, firstLine, fenceColumn);
      return {
        ...base,
        kind,
        commands: parsed.commands.map((c) => ({
          ...c,
          nameRange: move(c.nameRange),
          range: move(c.range),
          parameters: c.parameters.map((p) => ({ ...p, range: move(p.range), ...(p.value ? { value: moveArgument(p.value, move) } : {}) })),
          positional: c.positional.map((a) => moveArgument(a, move)),
        })),
        constructs: parsed.constructs.map((c) => ({ ...c, range: move(c.range) })),
        syntaxErrors: parsed.syntaxErrors.map(move),
        ...(parsed.unchecked ? { unchecked: parsed.unchecked } : {}),
      };
    }
    case 'sql': {
      const parsed = parseSql(text);
      const move = (r: Range) => shift(r, firstLine, fenceColumn);
      return {
        ...base,
        kind,
        statements: parsed.statements.map((s) => ({
          ...s,
          range: move(s.range),
          tokens: s.tokens.map((t) => ({ ...t, range: move(t.range) })),
          args: s.args.map((a) => ({ ...a, range: move(a.range) })),
          ...(s.database ? { database: { ...s.database, range: move(s.database.range) } } : {}),
          ...(s.procedure ? { procedure: { ...s.procedure, range: move(s.procedure.range) } } : {}),
        })),
        syntaxErrors: parsed.syntaxErrors.map((e) => ({ ...e, range: move(e.range) })),
      };
    }
    case 'lync': {
      const commands: LyncCommand[] = [];
      for (let line = firstLine; line <= contentEndLine; line++) {
        const command = parseLyncLine(lines.line(line), line, 0);
        if (command) commands.push(command);
      }
      return { ...base, kind, commands };
    }
  }
}

function moveArgument<T extends { range: Range; items?: readonly T[]; entries?: readonly { key: string; values: readonly T[] }[] }>(a: T, move: (r: Range) => Range): T {
  return {
    ...a,
    range: move(a.range),
    ...(a.items ? { items: a.items.map((i) => moveArgument(i, move)) } : {}),
    ...(a.entries ? { entries: a.entries.map((e) => ({ key: e.key, values: e.values.map((v) => moveArgument(v, move)) })) } : {}),
  };
}

/** `backup`, `backup:mgccomp` → a store role; anything else → an estate SQL instance id. */
export function parseTarget(raw: string, where: Range): TargetRef {
  const [head = '', db] = raw.split(':');
  const role = STORE_ROLES.find((r) => r.toLowerCase() === head.toLowerCase()) as StoreRole | undefined;
  if (role && (db === undefined || db === 'mgc' || db === 'mgccomp')) {
    return { raw, role, database: (db ?? 'mgc') as PcDatabase, range: where };
  }
  return { raw, database: 'mgc', instanceId: raw, range: where };
}

/** The target of one `lync` command: its own `on=`, else its block's. */
export function lyncCommandTarget(command: LyncCommand, action: Action): TargetRef | undefined {
  const on = command.attributes.find((a) => a.key === 'on');
  if (!on) return action.target;
  const database = command.attributes.find((a) => a.key === 'database')?.value;
  const target = parseTarget(on.value, on.valueRange);
  // `database=mgccomp on=backup` means the backup of mgccomp.
  return target.role && !on.value.includes(':') && database === 'mgccomp' ? { ...target, database: 'mgccomp' } : target;
}

/** Every action of the runbook in document order. */
export const allActions = (runbook: Runbook): Action[] => [...runbook.orphanActions, ...runbook.steps.flatMap((s) => s.actions)];
