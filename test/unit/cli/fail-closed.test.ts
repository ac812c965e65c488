/**
 * Fail closed (issue 17 item 1): estate errors and planner refusals reach `lint`, and `run` /
 * `rehearse` lint first and refuse on them, naming the estate file and line — unless a person
 * overrides the check by id with a reason.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { rehearse } from '../../../src/cli/rehearse';
import { run } from '../../../src/cli/run';

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');
const RUNBOOK = 'persistent-chat-failover.runbook.md';
const dirs: string[] = [];

/** The Litware sample in a scratch folder, with its estate and runbook text changed by `edit`. */
function scratch(edit: { estate?: (text: string) => string; runbook?: (text: string) => string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fail-closed-'));
  dirs.push(dir);
  const estate = fs.readFileSync(path.join(SAMPLES, 'lync-estate.yaml'), 'utf8');
  const runbook = fs.readFileSync(path.join(SAMPLES, RUNBOOK), 'utf8');
  fs.writeFileSync(path.join(dir, 'lync-estate.yaml'), edit.estate ? edit.estate(estate) : estate);
  fs.writeFileSync(path.join(dir, RUNBOOK), edit.runbook ? edit.runbook(runbook) : runbook);
  return path.join(dir, RUNBOOK);
}

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} not in ${file}`);
  return index + 1;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, text: () => [...out, ...err].join('\n'), io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** One underscore in the backup mirror's server name, a server the runbook never uses (probe F1). */
const underscore = (text: string) => text.replace('server: dal-pcbakm-001.litwareinc.com', 'server: dal-pcbakm_001.litwareinc.com');

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('fail closed: one underscore in the estate', () => {
  it('lint reports the estate error at its line and the refusal of the checks-less plan, exit 1', async () => {
    const file = scratch({ estate: underscore });
    const estateFile = path.join(path.dirname(file), 'lync-estate.yaml');
    const line = lineOf(estateFile, 'dal-pcbakm_001');
    const o = io();
    assert.equal(await lint([file], o.io), 1);
    const text = o.text();
    assert.match(text, new RegExp(`lync-estate\\.yaml:${line}:\\d+: error .*dal-pcbakm_001.* \\[estate/invalid-fqdn\\]`));
    assert.match(text, new RegExp(`lync-estate\\.yaml:${line}:1: error the preconditions and verification of the persistent-chat-failover procedure cannot be built.*\\[plan/checks-unavailable\\]`));
  });

  it('lint --format json gives the estate problems the estate file name', async () => {
    const file = scratch({ estate: underscore });
    const o = io();
    assert.equal(await lint(['--format', 'json', file], o.io), 1);
    const rows = JSON.parse(o.out.join('\n')) as { file: string; rule: string }[];
    const estateRows = rows.filter((r) => r.rule === 'estate/invalid-fqdn');
    assert.equal(estateRows.length, 1);
    assert.equal(estateRows[0]!.file, path.join(path.dirname(file), 'lync-estate.yaml'));
  });

  it('run refuses before planning anything, naming the estate line; nothing is sent (exit 1)', async () => {
    const file = scratch({ estate: underscore });
    const line = lineOf(path.join(path.dirname(file), 'lync-estate.yaml'), 'dal-pcbakm_001');
    for (const args of [['--dry-run', file], ['--yes', file]]) {
      const o = io();
      assert.equal(await run(args, o.io, {}), 1, o.text());
      assert.match(o.err.join('\n'), new RegExp(`is not run: 2 errors[\\s\\S]*lync-estate\\.yaml:${line}: .*\\[estate/invalid-fqdn\\][\\s\\S]*lync-estate\\.yaml:${line}: the preconditions .*\\[plan/checks-unavailable\\]`));
      assert.doesNotMatch(o.out.join('\n'), /DRY RUN|LIVE RUN/);
    }
  });

  it('rehearse refuses the same way, before a lab is started', async () => {
    const file = scratch({ estate: underscore });
    const o = io();
    assert.equal(await rehearse([file], o.io), 1);
    assert.match(o.err.join('\n'), /\[plan\/checks-unavailable\]/);
    assert.doesNotMatch(o.out.join('\n'), /REHEARSAL of/);
  });

  it('a person can override each check explicitly, with a reason; the run says so', async () => {
    const file = scratch({ estate: underscore });
    const o = io();
    const args = ['--dry-run', '--override', 'estate/invalid-fqdn', '--reason', 'the mirror is not used', '--override', 'plan/checks-unavailable', '--reason', 'checked by hand', file];
    assert.equal(await run(args, o.io, {}), 0, o.text());
    assert.match(o.err.join('\n'), /OVERRIDDEN estate\/invalid-fqdn \(reason: the mirror is not used\)/);
    assert.match(o.err.join('\n'), /OVERRIDDEN plan\/checks-unavailable \(reason: checked by hand\)/);
    assert.match(o.out.join('\n'), /DRY RUN/);
  });

  it('one override is not enough: every error needs its own', async () => {
    const file = scratch({ estate: underscore });
    const o = io();
    assert.equal(await run(['--dry-run', '--override', 'estate/invalid-fqdn', '--reason', 'not used', file], o.io, {}), 1);
    assert.match(o.err.join('\n'), /is not run: 1 error[\s\S]*\[plan\/checks-unavailable\]/);
  });

  it('an override needs an id and a reason (exit 2)', async () => {
    const file = scratch();
    for (const args of [['--override'], ['--override', 'plan/checks-unavailable'], ['--override', 'plan/checks-unavailable', '--reason', ' ']]) {
      const o = io();
      assert.equal(await run(['--dry-run', ...args, file], o.io, {}), 2, args.join(' '));
      assert.match(o.err.join('\n'), /--override/);
    }
  });
});

describe('fail closed: planner refusals reach lint', () => {
  // Probe F16: values the lync built-ins refuse at plan time, which lint used to pass.
  const hostile: [string, (text: string) => string][] = [
    ['a bad database= value', (t) => t.replace('copy-log-backups database=mgc', 'copy-log-backups database=mg]c')],
    ['a bad pool= value', (t) => t.replace('check-pool-state pool=atl-gc-001.litwareinc.com', "check-pool-state pool=atl-gc-001.litware'inc.com")],
    ['a bad state= value', (t) => t.replace('state=FailedOver', 'state=Broken')],
    ['an instance id with a bracket', (t) => t.replace('```sql on=backup', '```sql on=dal-pc]bak')],
    ['an instance id with a quote', (t) => t.replace('```sql on=backup', "```sql on=dal-pc'bak")],
  ];
  for (const [what, edit] of hostile) {
    it(`lint reports ${what} as the planner does, and run refuses it`, async () => {
      const file = scratch({ runbook: edit });
      const o = io();
      assert.equal(await lint([file], o.io), 1, o.text());
      assert.match(o.text(), /error .*\[plan\/cannot-run\]/);
      const r = io();
      assert.equal(await run(['--dry-run', '--override', 'plan/cannot-run', '--reason', 'try', file], r.io, {}), 1);
      assert.match(r.err.join('\n'), /\[plan\/cannot-run\][\s\S]*plan\/cannot-run cannot be overridden/);
    });
  }

  it('the sample runbooks stay clean (exit 0) and still run', async () => {
    const o = io();
    assert.equal(await lint([path.join(SAMPLES, RUNBOOK)], o.io), 0, o.text());
    assert.equal(await run(['--dry-run', path.join(SAMPLES, RUNBOOK)], io().io, {}), 0);
  });
});
