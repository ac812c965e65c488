/** docs/architecture.md is a contributor's map: every file or folder it names must exist. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');

/** Back-quoted paths into the repository (`src/…`, `test/…`, `docs/…`, `scripts/…`) and named root files. */
function namedPaths(text: string): string[] {
  const paths = [...text.matchAll(/`((?:src|test|docs|scripts)\/[^`\s]*|[\w.-]+\.(?:mjs|json))`/g)].map((m) => m[1]!.replace(/<[^>]+>.*$/, ''));
  return [...new Set(paths)].filter((p) => p !== '').sort();
}

describe('docs/architecture.md', () => {
  it('names only files and folders that exist', () => {
    const named = namedPaths(DOC);
    assert.ok(named.length > 30, `the map names the project's files (found ${named.length})`);
    const missing = named.filter((p) => !fs.existsSync(path.join(ROOT, p)));
    assert.deepEqual(missing, []);
  });

  it('is the document the lint walls point to', () => {
    assert.match(fs.readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8'), /docs\/architecture\.md/);
  });
});
