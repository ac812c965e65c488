/** The snippet files as package.json contributes them, parsed for the tests. */
import fs from 'node:fs';
import path from 'node:path';
import { parseSnippet, render, type SnippetNode } from './snippet-syntax';

export const ROOT = path.resolve(__dirname, '../../..');

export interface SnippetDefinition {
  readonly prefix: string | readonly string[];
  readonly body: string | readonly string[];
  readonly description: string;
}

export interface SnippetFile {
  readonly language: string;
  /** As written in package.json. */
  readonly path: string;
  readonly text: string;
  readonly snippets: Readonly<Record<string, SnippetDefinition>>;
}

export interface Snippet {
  readonly name: string;
  readonly language: string;
  readonly prefixes: readonly string[];
  readonly body: string;
  readonly nodes: readonly SnippetNode[];
}

export function contributedSnippetFiles(): SnippetFile[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes?: { snippets?: { language: string; path: string }[] };
  };
  return (manifest.contributes?.snippets ?? []).map((c) => {
    const text = fs.readFileSync(path.join(ROOT, c.path), 'utf8');
    return { language: c.language, path: c.path, text, snippets: JSON.parse(text) as Record<string, SnippetDefinition> };
  });
}

export const bodyText = (d: SnippetDefinition): string => (typeof d.body === 'string' ? d.body : d.body.join('\n'));

export function snippetsOf(language: string): Snippet[] {
  return contributedSnippetFiles()
    .filter((f) => f.language === language)
    .flatMap((f) =>
      Object.entries(f.snippets).map(([name, d]) => ({
        name,
        language,
        prefixes: typeof d.prefix === 'string' ? [d.prefix] : d.prefix,
        body: bodyText(d),
        nodes: parseSnippet(bodyText(d)),
      })),
    );
}

/** The choices of a snippet with the text just before each (what the value is for). */
export function choicesOf(nodes: readonly SnippetNode[]): { index: number; before: string; options: readonly string[] }[] {
  const out: { index: number; before: string; options: readonly string[] }[] = [];
  nodes.forEach((node, i) => {
    if (node.kind !== 'choice') return;
    const previous = nodes[i - 1];
    out.push({ index: node.index, before: previous?.kind === 'text' ? previous.value : '', options: node.options });
  });
  return out;
}

/** Every text the snippet can insert by picking one choice at a time (defaults elsewhere). */
export function expansions(snippet: Snippet): string[] {
  const texts = new Set([render(snippet.nodes)]);
  for (const choice of choicesOf(snippet.nodes)) {
    for (const option of choice.options) texts.add(render(snippet.nodes, (i) => (i === choice.index ? option : undefined)));
  }
  return [...texts];
}
