/**
 * The README is the extension's page in VS Code: inside the installed VSIX, every relative link
 * and image it has must be a file the VSIX ships (`vsce ls` lists them, applying .vscodeignore),
 * since the package script keeps relative links as they are (`--no-rewrite-relative-links`). And
 * the page is for administrators: it has Install and Requirements sections and names no source
 * file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** Relative link and image targets of a Markdown text, without their #anchor. */
const relativeTargets = (markdown: string): string[] =>
  [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#')).map((t) => t.replace(/#.*$/, ''));

describe('the packaged README', () => {
  it('ships every image and document it links to', () => {
    const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    const shipped = new Set(execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split(/\r?\n/).filter(Boolean));
    const targets = relativeTargets(readme);
    assert.ok(targets.some((t) => t.startsWith('media/readme/')), 'the README shows screenshots');
    assert.deepEqual(targets.filter((t) => !shipped.has(t)), []);
  });

  it('is written for administrators: Install, Requirements, first steps, no source paths', () => {
    for (const heading of ['## Install', '## Requirements', '## First steps']) assert.ok(readme.includes(`\n${heading}\n`), heading);
    assert.match(readme, /Install from VSIX/);
    assert.match(readme, /code --install-extension/);
    assert.deepEqual(readme.match(/\bsrc\/[\w./-]+/g) ?? [], []);
  });
});
