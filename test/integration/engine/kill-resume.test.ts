/**
 * Issue 5, "Killing the process in the middle of apply-log-backups and resuming completes
 * correctly": the lab runs in this process; `lync-runbook run --yes` runs the sample Persistent
 * Chat failover against it as a child process (settings file + password in the environment, as an
 * admin would run it), is SIGKILLed once some log backups were applied (the lab's `restore`
 * events — no sleeps), then runs again. The lab's restore history must hold every log backup
 * exactly once, the second run must complete, and the journal never holds the SQL password.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLab, type Lab } from '../../../src/lab';
import type { LabRestoreEvent } from '../../../src/lab/model';
import { litwareEstate, restoredLogs, SAMPLES } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const RUNBOOK = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
const SHARE = '\\\\atl-fs-001.litwareinc.com\\pchat-logs';
const COPY_FOLDER = 'D:\\LogShipping\\mgc';

interface Child {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Child {
  // Its own process group, so the kill also takes a shell stand-in it may have started.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { pid: child.pid!, exited, output: () => text };
}

const logName = (device: string) => device.split('\\').pop()!;

describe('kill -9 in the middle of apply-log-backups, then resume (lync-runbook run as a child process)', () => {
  let lab: Lab;
  let work: string;
  let settingsFile: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    // A log backup every minute and a long restore lag: dozens of unapplied log backups.
    lab = await startLab({ estate: litwareEstate(), scenario: 'pchat-dc-loss', timing: { backupEveryMinutes: 1, restoreLagMinutes: 45 }, progressDelayMs: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-resume-'));
    const server = lab.model.instance('dal-pcbak')!.server;
    const sql: Record<string, object> = { default: { user: lab.info.instances['dal-pcbak']!.user, host: '127.0.0.1', encrypt: true, caFile: lab.info.caFile, tlsServerName: 'localhost' } };
    for (const i of Object.values(lab.info.instances)) sql[i.id] = { port: i.port };
    const shell = lab.info.shell!;
    settingsFile = path.join(work, 'settings.json');
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({
        sql,
        // The CLI's live path imports a module by name: the lab's LyncLab is on its PSModulePath.
        shell: { executable: shell.executable, args: shell.args, module: 'LyncLab' },
        files: { pathMap: { [SHARE]: lab.pathFor(SHARE), [COPY_FOLDER]: lab.pathFor(COPY_FOLDER, server) } },
        journalDirectory: path.join(work, 'journals'),
      }),
    );
    // The lab's connection details travel in the environment node-powershell passes on.
    env = { ...process.env, ...shell.env, LYNC_RECOVERY_SQL_PASSWORD: lab.info.instances['dal-pcbak']!.password };
  });

  after(async () => {
    await lab?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('applies every log backup exactly once and completes', async () => {
    const mgc = lab.model.instance('dal-pcbak')!.database('mgc')!;
    const before = restoredLogs({ lab }, 'dal-pcbak', 'mgc');
    const toApply = fs.readdirSync(lab.pathFor(SHARE)).filter((n) => /^mgc_\d{14}\.trn$/.test(n) && !before.includes(n));
    assert.ok(toApply.length >= 30, `only ${toApply.length} log backups to apply`);

    // First run: killed once three log backups were applied by it.
    const first = runCli(['run', '--yes', '--settings', settingsFile, RUNBOOK], env);
    const appliedByFirst: string[] = [];
    const killed = new Promise<void>((resolve) => {
      const onRestore = (e: LabRestoreEvent) => {
        if (e.instanceId !== 'dal-pcbak' || e.database !== 'mgc' || e.type !== 'L') return;
        appliedByFirst.push(logName(e.device));
        // The lab records a restore before it answers the RESTORE: the child cannot go past this one.
        if (appliedByFirst.length === 3) {
          lab.model.off('restore', onRestore);
          process.kill(-first.pid, 'SIGKILL');
          resolve();
        }
      };
      lab.model.on('restore', onRestore);
    });
    const exit = await Promise.race([first.exited, killed.then(() => first.exited)]);
    assert.equal(exit.signal, 'SIGKILL', `the first run was not killed:\n${first.output()}`);
    assert.match(first.output(), /--yes: confirmed automatically — EXEC master.dbo.sp_delete_log_shipping_secondary_database .* on backup dal-pcbak/);
    const afterKill = restoredLogs({ lab }, 'dal-pcbak', 'mgc').filter((n) => !before.includes(n));
    assert.ok(afterKill.length >= 3 && afterKill.length < toApply.length, `killed after ${afterKill.length} of ${toApply.length}`);
    assert.equal(mgc.state, 'RESTORING');
    const journalFile = fs.readdirSync(path.join(work, 'journals')).find((f) => f.endsWith('.jsonl'))!;
    const records = fs.readFileSync(path.join(work, 'journals', journalFile), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stepId?: string; outcome?: string });
    assert.ok(records.some((r) => r.type === 'action-started' && r.stepId === 'apply-logs'));
    assert.ok(!records.some((r) => r.type === 'run-finished'), 'the killed run cannot have finished');

    // Second run: resumes (the stale lock of the dead process is taken over) and completes.
    const second = runCli(['run', '--yes', '--settings', settingsFile, RUNBOOK], env);
    const done = await second.exited;
    assert.equal(done.code, 0, second.output());
    assert.match(second.output(), /resuming after an interruption/);

    const restored = restoredLogs({ lab }, 'dal-pcbak', 'mgc');
    const counts = new Map<string, number>();
    for (const n of restored) counts.set(n, (counts.get(n) ?? 0) + 1);
    const share = fs.readdirSync(lab.pathFor(SHARE)).filter((n) => /^mgc_\d{14}\.trn$/.test(n)).sort();
    assert.deepEqual([...counts.keys()].sort(), share);
    assert.deepEqual([...counts.entries()].filter(([, n]) => n !== 1), []);
    assert.equal(mgc.state, 'ONLINE');
    assert.equal(lab.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'FailedOver');

    // The password (from the environment) reaches the journal's redaction: never written down.
    const password = lab.info.instances['dal-pcbak']!.password;
    const journalText = fs.readdirSync(path.join(work, 'journals')).map((f) => fs.readFileSync(path.join(work, 'journals', f), 'utf8')).join('');
    assert.ok(journalText.includes('apply-log-backups'));
    assert.ok(!journalText.includes(password), 'the journal holds the SQL password');
    assert.ok(!first.output().includes(password) && !second.output().includes(password), 'the output holds the SQL password');
  });
});
