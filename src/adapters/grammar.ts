/**
 * The `GrammarFiles` port over the file system: the WASM files sit next to the bundle in `dist/`
 * (esbuild.mjs copies them); when running from sources (tsx, tests) they come from node_modules.
 * Used by the language server, the CLI and the extension host (runbook stepping parses runbooks
 * lazily, the first time one is shown).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
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

/**
 * Keeps the PowerShell grammar (a 1 MB WASM module) on V8's baseline compiler. Its optimising tier
 * compiles the grammar's huge lexer (`ts_lex`, 459 KB) in the background: 5–7 s of CPU and ~130 MB
 * that a short-lived CLI waits for before it can exit, and ~70 MB of compiler memory that the
 * language server keeps; the baseline code parses runbook blocks fast enough. Call before the
 * grammar is loaded; it affects WASM only, not JavaScript. Processes of their own only (CLI,
 * language server): the extension host is shared with other extensions.
 */
export function keepGrammarOnBaselineCompiler(): void {
  v8.setFlagsFromString('--liftoff-only');
}
