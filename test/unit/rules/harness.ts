/** Shared by the rule tests: the Litware estate, a runbook builder and the checker. */
import fs from 'node:fs';
import path from 'node:path';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { parseRunbook, type RuleProblem } from '../../../src/core/runbook';
import { checkRunbook } from '../../../src/core/rules';
import { powershellParser } from '../runbook/grammar';

export const ROOT = path.resolve(__dirname, '../../..');
export const LITWARE_YAML = fs.readFileSync(path.join(ROOT, 'samples/litware/lync-estate.yaml'), 'utf8');
export const litware = (): Estate => parseEstate(LITWARE_YAML, 'lync-estate.yaml').estate!;

export const fence = (lang: string, ...lines: string[]) => `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``;
export const step = (title: string, ...blocks: string[]) => `## ${title}\n\n${blocks.join('\n\n')}\n`;
export const ps = (...lines: string[]) => fence('powershell', ...lines);
export const sql = (on: string, ...lines: string[]) => fence(on ? `sql on=${on}` : 'sql', ...lines);
export const lync = (...lines: string[]) => fence('lync', ...lines);

export interface RunbookSpec {
  readonly kind?: string;
  readonly pool?: string;
  /** Extra front matter lines. */
  readonly front?: string;
  /** Replace the whole front matter (including `---` lines); '' = none. */
  readonly frontMatter?: string;
}

const DEFAULT_POOL: Record<string, string> = {
  'persistent-chat-failover': 'atl-gc-001.litwareinc.com',
  'persistent-chat-failback': 'atl-gc-001.litwareinc.com',
  'conference-restore': 'dal-cs-001.litwareinc.com',
  'pool-failover': 'atl-cs-001.litwareinc.com',
  'pool-failback': 'atl-cs-001.litwareinc.com',
  custom: 'atl-gc-001.litwareinc.com',
};

export function runbookText(body: string, spec: RunbookSpec = {}): string {
  const kind = spec.kind ?? 'custom';
  const front =
    spec.frontMatter ??
    `---\nrunbook: ${kind}\nestate: ./lync-estate.yaml\npool: ${spec.pool ?? DEFAULT_POOL[kind] ?? ''}\n${kind === 'conference-restore' ? 'lostPool: atl-cs-001.litwareinc.com\n' : ''}${spec.front ?? ''}---\n\n`;
  return `${front}# Test\n\n${body}`;
}

export async function check(text: string, estate: Estate | undefined | null = litware()): Promise<RuleProblem[]> {
  const runbook = parseRunbook(text, { powershell: await powershellParser() });
  return checkRunbook(runbook, estate ? { estate } : { error: 'file not found' });
}
