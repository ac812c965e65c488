/**
 * The README is the extension's page in VS Code. That page resolves relative image links against
 * its own webview, so the packaged README (`npm run package`: scripts/package-readme.mjs, then
 * `vsce package --readme-path dist/README.md`) carries every image inline; its other relative
 * links must be files the VSIX ships (`vsce ls` lists them, applying .vscodeignore). And the page
 * is for administrators: Install, Requirements, first steps, no source file named.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

interface PackageReadme {
  inlineImages(markdown: string, baseDir: string): string;
}

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** Relative link and image targets of a Markdown text, without their #anchor. */
const relativeTargets = (markdown: string): string[] =>
  [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#')).map((t) => t.replace(/#.*$/, ''));

describe('the packaged README', () => {
  it('is packaged from dist/README.md, with every image inline', async () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.package ?? '', /node scripts\/package-readme\.mjs && vsce package .*--readme-path dist\/README\.md/);
    const { inlineImages } = (await import(path.join(root, 'scripts', 'package-readme.mjs'))) as PackageReadme;
    assert.ok(relativeTargets(readme).some((t) => t.startsWith('media/readme/')), 'the README shows screenshots');
    const packaged = inlineImages(readme, root);
    assert.deepEqual([...packaged.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !t.startsWith('data:image/')), []);
    assert.throws(() => inlineImages('![x](media/readme/none.png)', root), /README image media\/readme\/none\.png: no such file/);
  });

  it('ships every document it links to', () => {
    const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    const shipped = new Set(execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split(/\r?\n/).filter(Boolean));
    const documents = relativeTargets(readme).filter((t) => !t.startsWith('media/readme/'));
    assert.ok(documents.length > 5);
    assert.deepEqual(documents.filter((t) => !shipped.has(t)), []);
  });

  it('is written for administrators: Install, Requirements, first steps, no source paths', () => {
    for (const heading of ['## Install', '## Requirements', '## First steps']) assert.ok(readme.includes(`\n${heading}\n`), heading);
    assert.match(readme, /Install from VSIX/);
    assert.match(readme, /code --install-extension/);
    assert.deepEqual(readme.match(/\bsrc\/[\w./-]+/g) ?? [], []);
  });
});
