import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeText, formatSize } from '../../../src/core/text-files';
import {
  parseEstateSetting,
  isDiscoverableEstatePath,
  preferredEstatePath,
  withoutSchemaModeline,
} from '../../../src/extension/estate/files';

test('decodes UTF-8 with and without a byte order mark', () => {
  const text = 'name: Litwäre\n';
  const utf8 = new TextEncoder().encode(text);
  assert.equal(decodeText(utf8), text);
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), text);
});

test('decodes UTF-16 LE and BE with a byte order mark (Windows PowerShell redirection)', () => {
  const text = '<Topology>é</Topology>';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.equal(decodeText(le), text);
  const be = Buffer.from(le.subarray(2)).swap16();
  assert.equal(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), text);
});

test('sizes read well in messages', () => {
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(2048), '2.0 KB');
  assert.equal(formatSize(50 * 1024 * 1024), '50.0 MB');
});

test('the shallowest estate file wins, then the first by name', () => {
  assert.equal(preferredEstatePath(['/w/b/c/lync-estate.yaml', '/w/z/lync-estate.yaml', '/w/a/lync-estate.yaml']), '/w/a/lync-estate.yaml');
  assert.equal(preferredEstatePath(['/w/a/b/lync-estate.yaml', '/w/lync-estate.yaml']), '/w/lync-estate.yaml');
  assert.equal(preferredEstatePath([]), undefined);
});

test('the setting: blank means discover, relative paths get forward slashes, absolute ones are recognised', () => {
  assert.equal(parseEstateSetting('  '), undefined);
  assert.deepEqual(parseEstateSetting('estate\\prod.yaml'), { path: 'estate/prod.yaml', absolute: false });
  assert.deepEqual(parseEstateSetting('/srv/lync-estate.yaml'), { path: '/srv/lync-estate.yaml', absolute: true });
  assert.deepEqual(parseEstateSetting('C:\\Lync\\lync-estate.yaml'), { path: 'C:\\Lync\\lync-estate.yaml', absolute: true });
  assert.equal(parseEstateSetting('\\\\fs\\share\\e.yaml')?.absolute, true);
});

test('the schema modeline goes from a copied sample, nothing else does', () => {
  const sample = '# yaml-language-server: $schema=../../schemas/lync-estate.schema.json\n# Litware\r\nestate: 1\n';
  assert.equal(withoutSchemaModeline(sample), '# Litware\r\nestate: 1\n');
  assert.equal(withoutSchemaModeline('estate: 1\n'), 'estate: 1\n');
});

test('discovery finds lync-estate.yaml and lync-estate.yml, and prefers .yaml beside a .yml', () => {
  for (const p of ['/w/lync-estate.yaml', '/w/sub/lync-estate.yml', 'lync-estate.yml']) assert.ok(isDiscoverableEstatePath(p), p);
  for (const p of ['/w/lync-estate.json', '/w/xlync-estate.yaml', '/w/lync-estate.yaml.bak', '/w/lync-estate.ymlx']) assert.ok(!isDiscoverableEstatePath(p), p);
  assert.equal(preferredEstatePath(['/w/lync-estate.yml', '/w/lync-estate.yaml']), '/w/lync-estate.yaml');
  assert.equal(preferredEstatePath(['/w/a/lync-estate.yaml', '/w/lync-estate.yml']), '/w/lync-estate.yml');
});
