/**
 * The per-step commands package.json must contribute, computed from the procedure definitions
 * (resolved against the Litware sample estate). The unit test compares; `node --import tsx
 * test/unit/extension/guided-step-commands.ts` prints the entries to paste when a procedure changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEstate } from '../../../src/core/estate/load';
import { procedureFor, PROCEDURE_KINDS } from '../../../src/core/procedures';
import { poolCandidates, stepCommandId, stepCommandTitle, stepCommandTitleKey } from '../../../src/extension/guided/model';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface StepCommand {
  readonly command: string;
  readonly titleKey: string;
  readonly title: string;
}

export function expectedStepCommands(): StepCommand[] {
  const file = path.join(ROOT, 'samples', 'litware', 'lync-estate.yaml');
  const estate = parseEstate(fs.readFileSync(file, 'utf8'), file).estate!;
  return PROCEDURE_KINDS.flatMap((kind) => {
    const pool = poolCandidates(estate, kind)[0]!;
    return procedureFor(kind, estate, pool.fqdn).steps.map((step, i) => ({
      command: stepCommandId(kind, step.id),
      titleKey: stepCommandTitleKey(kind, step.id),
      title: stepCommandTitle(kind, i + 1, step.title),
    }));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const commands = expectedStepCommands();
  console.log(JSON.stringify(commands.map((c) => ({ command: c.command, title: `%${c.titleKey}%`, category: '%command.category%' })), null, 2));
  console.log(JSON.stringify(Object.fromEntries(commands.map((c) => [c.titleKey, c.title])), null, 2));
}
