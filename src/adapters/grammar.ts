/**
 * The `GrammarFiles` port over the file system: the WASM files sit next to the bundle in `dist/`
 * (esbuild.mjs copies them); when running from sources (tsx, tests) they come from node_modules.
 * Used by the language server, the CLI and the extension host (runbook stepping parses runbooks
 * lazily, the first time one is shown).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GrammarFiles } from '../core/runbook';

function read(fileName: string, packageId: string): Promise<Uint8Array> {
  const besideBundle = path.join(__dirname, fileName);
  const file = fs.existsSync(besideBundle) ? besideBundle : require.resolve(packageId);
  return fs.promises.readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

export const grammarFiles: GrammarFiles = {
  runtime: () => read('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'),
  powershell: () => read('tree-sitter-powershell.wasm', 'tree-sitter-powershell/tree-sitter-powershell.wasm'),
};
