/** Test helper: the PowerShell grammar loaded from node_modules (what the server reads from dist/). */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { loadPowerShellParser, type PowerShellParser } from '../../../src/core/runbook';

const require = createRequire(__filename);
const read = async (id: string) => new Uint8Array(fs.readFileSync(require.resolve(id)));

let parser: Promise<PowerShellParser> | undefined;

export const powershellParser = (): Promise<PowerShellParser> =>
  (parser ??= loadPowerShellParser({
    runtime: () => read('web-tree-sitter/tree-sitter.wasm'),
    powershell: () => read('tree-sitter-powershell/tree-sitter-powershell.wasm'),
  }));
