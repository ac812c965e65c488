/**
 * Headless TextMate tokenization for the grammar tests: vscode-textmate + vscode-oniguruma, the
 * injection grammars as package.json contributes them, and test-only host grammars (VS Code's
 * Markdown, PowerShell and SQL grammars are not in node_modules) from ./fixtures.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(__filename);
export const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(__dirname, 'fixtures');

export interface GrammarContribution {
  readonly scopeName: string;
  readonly path: string;
  readonly injectTo?: readonly string[];
  readonly embeddedLanguages?: Readonly<Record<string, string>>;
}

export function contributedGrammars(): GrammarContribution[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes?: { grammars?: GrammarContribution[] };
  };
  return manifest.contributes?.grammars ?? [];
}

const HOSTS: Readonly<Record<string, string>> = {
  'text.html.markdown': path.join(FIXTURES, 'markdown.tmLanguage.json'),
  'source.powershell': path.join(FIXTURES, 'powershell.tmLanguage.json'),
  'source.sql': path.join(FIXTURES, 'sql.tmLanguage.json'),
};

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly scopes: readonly string[];
}

export interface TokenizedLine {
  readonly text: string;
  readonly tokens: readonly Token[];
}

let markdown: Promise<textmate.IGrammar> | undefined;

async function loadMarkdown(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = { ...HOSTS };
  const injections: Record<string, string[]> = {};
  for (const g of contributedGrammars()) {
    files[g.scopeName] = path.join(ROOT, g.path);
    for (const host of g.injectTo ?? []) (injections[host] ??= []).push(g.scopeName);
  }
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => injections[scopeName],
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  if (!grammar) throw new Error('the Markdown host grammar did not load');
  return grammar;
}

/** Tokenizes a Markdown document line by line, as the editor does. */
export async function tokenizeMarkdown(text: string): Promise<TokenizedLine[]> {
  const grammar = await (markdown ??= loadMarkdown());
  let stack = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return {
      text: line,
      tokens: result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes })),
    };
  });
}

/**
 * The scopes every character of `needle` (its `occurrence`-th match in the line) has: the
 * intersection of the scopes of the tokens it covers.
 */
export function scopesOf(line: TokenizedLine, needle: string, occurrence = 0): string[] {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = line.text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (#${occurrence}) is not in "${line.text}"`);
  }
  const end = at + needle.length;
  const covering = line.tokens.filter((t) => t.start < end && t.end > at);
  return covering.reduce<string[]>((common, t) => common.filter((s) => t.scopes.includes(s)), [...(covering[0]?.scopes ?? [])]);
}

/** Whether some scope of the list is `scope` or a child of it (`keyword.operator` covers `keyword.operator.assignment.lync`). */
export const hasScope = (scopes: readonly string[], scope: string): boolean =>
  scopes.some((s) => s === scope || s.startsWith(`${scope}.`));
