// Writes dist/README.md, the README packaged in the VSIX (`vsce package --readme-path`).
// VS Code's extension page renders the README in a webview that resolves relative image links
// against the webview itself, not the installed extension, and vsce can only rewrite them to an
// online repository — which an offline jump box cannot reach. So the packaged copy carries its
// screenshots inline (data: URIs, which the page's content policy allows); README.md in the
// repository keeps its relative links.
//   node scripts/package-readme.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml' };

/**
 * The README with every relative image inlined. Throws, naming it, when an image is missing or of
 * a type the page cannot show.
 * @param {string} markdown
 * @param {string} baseDir  the folder the README's links are relative to
 */
export function inlineImages(markdown, baseDir) {
  return markdown.replace(/(!\[[^\]]*\]\()([^)\s]+)(\))/g, (whole, open, target, close) => {
    if (/^[a-z]+:/i.test(target)) return whole;
    const file = path.join(baseDir, target);
    const mime = MIME[/** @type {keyof typeof MIME} */ (path.extname(file).toLowerCase())];
    if (!mime) throw new Error(`README image ${target}: not a PNG, JPEG, GIF or SVG file`);
    if (!fs.existsSync(file)) throw new Error(`README image ${target}: no such file`);
    return `${open}data:${mime};base64,${fs.readFileSync(file).toString('base64')}${close}`;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(root, 'dist', 'README.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, inlineImages(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), root));
  console.log(`${path.relative(root, out)}: ${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB, images inline`);
}
