import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseEstate } from '../../../src/core/estate/load';
import { parseRunbook, type RuleProblem } from '../../../src/core/runbook';
import { checkRunbook } from '../../../src/core/rules';
import type { Range } from '../../../src/core/text';
import { powershellParser } from '../runbook/grammar';
import { LITWARE_YAML, ROOT } from './harness';

const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples/litware')).filter((f) => f.endsWith('.runbook.md')).map((f) => fs.readFileSync(path.join(ROOT, 'samples/litware', f), 'utf8'));
const FRAGMENTS = ['---\n', 'runbook: persistent-chat-failover\n', 'pool: atl-gc-001.litwareinc.com\n', 'estate: x\n', '## Step {#a}\n', '```sql on=backup\n', '```powershell\n', '```lync\n', '```\n', 'RESTORE LOG mgc FROM DISK = N\'x\' WITH NORECOVERY\n', "EXEC sp_delete_log_shipping_secondary_database N'mgc'\n", 'Set-CsPersistentChatState -Identity "service: x" –PoolState\n', '@{Add="a",\n', 'wait-backup-sync pool= module="x\n', '<Pool1 FQDN>\n', "'\n", '"\n', '`\n', '/*\n', '\u2013\n', '\r\n', '\t', 'é', '𝄞'];

const inside = (r: Range, lines: string[]) => {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
};

const mutate = (text: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }))), { maxLength: 6 }).map((edits) =>
    edits.reduce((t, [at, del, ins]) => {
      const i = t.length ? at % t.length : 0;
      return t.slice(0, i) + ins + t.slice(i + del);
    }, text),
  );

const runbooks = fc.oneof(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join('')), fc.constantFrom(...SAMPLES).chain(mutate));
const estates = fc.oneof(fc.constant(LITWARE_YAML), mutate(LITWARE_YAML), fc.string());

test('random and mutated runbooks and estates: nothing throws, every range is inside the document', async () => {
  const powershell = await powershellParser();
  fc.assert(
    fc.property(runbooks, estates, (text, estateText) => {
      const estate = parseEstate(estateText, 'lync-estate.yaml').estate;
      const problems: RuleProblem[] = checkRunbook(parseRunbook(text, { powershell }), estate ? { estate } : { error: 'invalid' });
      const lines = text.split('\n');
      for (const p of problems) {
        assert.ok(!p.message.startsWith('Rule '), p.message);
        assert.ok(inside(p.range, lines), `${p.rule} ${JSON.stringify(p.range)}`);
        for (const f of p.fixes ?? []) for (const e of f.edits) assert.ok(inside(e.range, lines), `${p.rule} fix ${JSON.stringify(e.range)}`);
      }
    }),
    { numRuns: 300 },
  );
});
