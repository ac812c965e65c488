/** Runbooks and the estate for the engine's unit tests. */
import fs from 'node:fs';
import path from 'node:path';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { planRunbook, type RunPlan } from '../../../src/core/recovery';
import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import { powershellParser } from '../runbook/grammar';

const ESTATE_FILE = path.resolve(__dirname, '../../../samples/litware/lync-estate.yaml');

export const estate = (): Estate => parseEstate(fs.readFileSync(ESTATE_FILE, 'utf8'), ESTATE_FILE).estate!;

export const FENCE = '```';

/** A runbook from front matter keys and a body. */
export function runbookText(body: string, front: Record<string, string> = { runbook: 'custom', estate: './lync-estate.yaml', pool: 'atl-gc-001.litwareinc.com' }): string {
  return `---\n${Object.entries(front).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n\n# Test\n\n${body}\n`;
}

export async function parse(text: string): Promise<Runbook> {
  return parseRunbook(text, { powershell: await powershellParser() });
}

export async function plan(text: string, e: Estate = estate()): Promise<RunPlan> {
  return planRunbook(await parse(text), e, '/runbooks/test.runbook.md');
}
