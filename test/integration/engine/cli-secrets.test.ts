/**
 * `lync-runbook run` against the lab with the SQL password in the environment, as an admin runs
 * it, and a runbook step that returns the password: neither the terminal nor the journal shows it,
 * in any form (raw, SQL-quoted, one line of it), for a hostile and a very short password.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../src/cli/run';
import { startLab } from '../../../src/lab';
import { litwareEstate, SAMPLES } from './helpers';

const HOSTILE = 'Pw\'d"\\;--$(x)`y-7Q\n.*+?[';
const SHORT = 'Q7';

/** Every form the password could be written in. */
const forms = (password: string) => {
  const parts = [password, ...password.split('\n')];
  return [...new Set(parts.flatMap((p) => [p, p.replaceAll("'", "''"), JSON.stringify(p).slice(1, -1)]))];
};

describe('lync-runbook run never prints or journals the SQL password', () => {
  for (const password of [HOSTILE, SHORT]) {
    it(`a step that returns the password ${JSON.stringify(password)}`, async (t) => {
      const lab = await startLab({ estate: litwareEstate(), scenario: 'pchat-dc-loss', credentials: { user: 'lab', password } });
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-secrets-'));
      t.after(async () => {
        await lab.stop();
        fs.rmSync(work, { recursive: true, force: true });
      });
      fs.copyFileSync(path.join(SAMPLES, 'lync-estate.yaml'), path.join(work, 'lync-estate.yaml'));
      const runbook = path.join(work, 'echo.runbook.md');
      const literal = `N'${password.replaceAll("'", "''")}'`;
      fs.writeFileSync(
        runbook,
        `---\nrunbook: custom\nestate: ./lync-estate.yaml\npool: atl-gc-001.litwareinc.com\n---\n\n# Echo\n\n## 1. Echo {#echo}\n\n\`\`\`sql on=backup\nSELECT ${literal} AS echoed;\n\`\`\`\n`,
      );
      const sql: Record<string, object> = { default: { user: 'lab', host: '127.0.0.1', encrypt: true, caFile: lab.info.caFile, tlsServerName: 'localhost' } };
      for (const i of Object.values(lab.info.instances)) sql[i.id] = { port: i.port };
      const settings = path.join(work, 'settings.json');
      const journals = path.join(work, 'journals');
      fs.writeFileSync(settings, JSON.stringify({ sql, journalDirectory: journals }));

      const printed: string[] = [];
      const code = await run(['--yes', '--settings', settings, runbook], { out: (l) => printed.push(l), err: (l) => printed.push(l) }, { LYNC_RECOVERY_SQL_PASSWORD: password });
      const terminal = printed.join('\n');
      assert.equal(code, 0, terminal);
      assert.match(terminal, /^ {5}echoed=\*\*\*$/m, 'the row is printed, redacted');
      const journal = fs.readdirSync(journals).filter((f) => fs.statSync(path.join(journals, f)).isFile()).map((f) => fs.readFileSync(path.join(journals, f), 'utf8')).join('\n');
      for (const form of forms(password)) {
        assert.ok(!terminal.includes(form), `the terminal shows ${JSON.stringify(form)}:\n${terminal}`);
        assert.ok(!journal.includes(form), `the journal holds ${JSON.stringify(form)}`);
      }
    });
  }
});
