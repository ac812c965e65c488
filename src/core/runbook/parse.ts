/**
 * The runbook parser: front matter (yaml), Markdown structure (markdown-it, block rules only —
 * inline parsing is skipped because only headings and fences matter), steps (`##` headings),
 * actions (fences `powershell|ps1|pwsh`, `sql|tsql`, `lync`), and the statements inside them.
 */
import MarkdownIt from 'markdown-it';
import { STORE_ROLES, type PcDatabase, type StoreRole } from '../estate/model';
import type { Range } from '../text';
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
}

/**
 * Built actions by everything that determines them: an edit inside one block (the usual keystroke)
 * rebuilds only that block; the others are reused as the same objects, so rules can cache per
 * action too. One cache per PowerShell parser (i.e. per server or CLI run); reset when large.
 */
const actionCaches = new WeakMap<PowerShellParser, Map<string, Action>>();
const ACTION_CACHE_LIMIT = 50_000;

const markdown = (() => {
  const md = new MarkdownIt();
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);
  return md;
})();

export function parseRunbook(text: string, options: ParseOptions): Runbook {
  const lines = new LineIndex(text);
  const fm = parseFrontMatter(lines);
  // Blank the front matter out (keeping its lines) so markdown-it does not read `---` as a rule.
  const body = fm ? '\n'.repeat(fm.endLine + 1) + text.split('\n').slice(fm.endLine + 1).join('\n') : text;
  const tokens = markdown.parse(body, {});

  const kindValue = fm?.frontMatter.entries.find((e) => e.key === 'runbook')?.value;
  const kind = RUNBOOK_KINDS.find((k) => k === kindValue);

  let title: Runbook['title'];
  const steps: { id: string; title: string; explicit: boolean; line: number; actions: Action[] }[] = [];
  const orphanActions: Action[] = [];

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
      const language = t.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      const kindOfAction = ACTION_LANGUAGES[language];
      if (!kindOfAction) continue;
      const step = steps[steps.length - 1];
      const list = step ? step.actions : orphanActions;
      const map = t.map as [number, number];
      const key = `${kindOfAction}\u0000${map[0]}\u0000${map[1]}\u0000${lines.line(map[0])}\u0000${step?.id ?? ''}\u0000${list.length}\u0000${t.content}`;
      let cache = actionCaches.get(options.powershell);
      if (!cache) actionCaches.set(options.powershell, (cache = new Map()));
      let action = cache.get(key);
      if (!action) {
        action = buildAction(kindOfAction, map, t.markup, t.content, lines, step?.id ?? '', list.length, options);
        if (cache.size >= ACTION_CACHE_LIMIT) cache.clear();
        cache.set(key, action);
      }
      list.push(action);
    }
  }

  const builtSteps: Step[] = steps.map((s, i) => {
    const next = steps[i + 1];
    const endLine = next ? next.line - 1 : lines.lineCount - 1;
    return {
      id: s.id,
      title: s.title,
      explicitId: s.explicit,
      headingRange: lineRange(s.line, 0, lines.line(s.line).length),
      range: range(s.line, 0, endLine, lines.line(endLine).length),
      actions: s.actions,
    };
  });

  return {
    text,
    lineCount: lines.lineCount,
    ...(fm ? { frontMatter: fm.frontMatter } : {}),
    ...(kind ? { kind } : {}),
    ...(title ? { title } : {}),
    steps: builtSteps,
    orphanActions,
  };
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
        syntaxErrors: parsed.syntaxErrors.map(move),
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
