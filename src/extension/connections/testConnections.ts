/**
 * "Lync: Test Connections": for each SQL instance of the estate — reachable, login, TLS,
 * @@SERVERNAME and version — and for the shell — start-up (prelude) and whether `Get-CsPool`
 * answers; rendered as a Markdown report. No `vscode` here.
 */
import { getPool } from '../../core/commands/powershell';
import { serverIdentity } from '../../core/commands/tsql';
import { ShellError } from '../../core/recovery/ports';
import { classifyError, formatSeconds, parseIdentity, type Failure } from '../live/readings';
import { runLimited } from '../live/statusService';
import { md } from '../live/viewModel';
import { formatMessage, type Translate } from '../translate';
import type { TargetClients } from './clients';
import type { SettingProblem } from './settings';
import { describeTarget } from './target';

export interface SqlCheck {
  readonly instanceId: string;
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly endpoint?: string;
  readonly account?: string;
  readonly tls?: string;
  readonly serverName?: string;
  readonly version?: string;
  readonly failure?: Failure | 'unconfigured' | 'no-password' | 'unknown';
  readonly message?: string;
  readonly ms: number;
}

export interface ShellCheck {
  readonly description: string;
  readonly prelude: 'ok' | 'failed' | 'not-run';
  readonly getCsPool: 'ok' | 'failed' | 'not-run';
  readonly pools?: number;
  readonly message?: string;
  readonly ms: number;
}

export interface ConnectionReport {
  readonly target: string;
  readonly at: number;
  readonly sql: readonly SqlCheck[];
  readonly shell: ShellCheck;
  readonly settingProblems: readonly SettingProblem[];
}

export async function runConnectionTests(
  clients: TargetClients,
  instanceIds: readonly string[],
  options: { readonly timeoutMs: number; readonly settingProblems?: readonly SettingProblem[]; readonly now?: () => number; readonly signal?: AbortSignal },
): Promise<ConnectionReport> {
  const now = options.now ?? Date.now;
  const cancelled = options.signal ?? new AbortController().signal;
  const checks: SqlCheck[] = new Array<SqlCheck>(instanceIds.length);
  const tasks = instanceIds.map((id, index) => async () => {
    checks[index] = await checkSql(clients, id, options.timeoutMs, now, cancelled);
  });
  const [shell] = await Promise.all([checkShell(clients, options.timeoutMs, now, cancelled), runLimited(tasks, 4)]);
  return { target: describeTarget(clients.target), at: now(), sql: checks, shell, settingProblems: options.settingProblems ?? [] };
}

async function checkSql(clients: TargetClients, instanceId: string, timeoutMs: number, now: () => number, cancelled: AbortSignal): Promise<SqlCheck> {
  // Cancelled before its turn: no password prompt, no connection.
  if (cancelled.aborted) return { instanceId, outcome: 'skipped', failure: 'unknown', message: 'Cancelled.', ms: 0 };
  const access = await clients.prepareSql(instanceId, true);
  const info = clients.describeSql(instanceId);
  const where = info ? { endpoint: info.endpoint, account: info.account, tls: info.tls } : {};
  if (!access.ok) return { instanceId, outcome: 'skipped', ...where, failure: access.state, message: access.message, ms: 0 };
  const started = now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const result = await clients.sql.query(instanceId, serverIdentity(), { signal: AbortSignal.any([controller.signal, cancelled]), timeoutMs });
    const identity = parseIdentity(result.recordsets[0]?.[0]);
    return { instanceId, outcome: 'ok', ...where, ...identity, ms: now() - started };
  } catch (error) {
    const { failure, message } = controller.signal.aborted ? { failure: 'timeout' as const, message: `No answer within ${formatSeconds(timeoutMs)}.` } : classifyError(error, timeoutMs);
    return { instanceId, outcome: 'failed', ...where, failure, message, ms: now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function checkShell(clients: TargetClients, timeoutMs: number, now: () => number, cancelled: AbortSignal): Promise<ShellCheck> {
  const description = clients.describeShell();
  if (!clients.shell) return { description, prelude: 'not-run', getCsPool: 'not-run', message: 'This target has no shell.', ms: 0 };
  const started = now();
  try {
    // The session runs its start-up lines (module import or remote session) before the first command.
    const pools = await clients.shell.runJson(getPool(), { timeoutMs: Math.max(timeoutMs, 1000), signal: cancelled });
    return { description, prelude: 'ok', getCsPool: 'ok', pools: pools.length, ms: now() - started };
  } catch (error) {
    const { message } = classifyError(error, timeoutMs);
    const startFailed = !(error instanceof ShellError) || error.failure === 'not-found' || error.failure === 'prelude-failed';
    return { description, prelude: startFailed ? 'failed' : 'ok', getCsPool: startFailed ? 'not-run' : 'failed', message, ms: now() - started };
  }
}

const cell = (text: string | undefined) => (text ? md(text).replace(/\r?\n/g, ' ') : '–');

export function renderConnectionReport(report: ConnectionReport, t: Translate = formatMessage, formatTime: (ms: number) => string = (ms) => new Date(ms).toISOString()): string {
  const yes = t('yes');
  const no = t('no');
  const lines = [
    `# ${t('Lync Recovery — connection test')}`,
    '',
    `${t('Target')}: **${md(report.target)}**  `,
    `${t('Tested at')}: ${md(formatTime(report.at))}`,
    '',
    `## ${t('SQL Server instances')}`,
    '',
  ];
  if (report.sql.length === 0) lines.push(t('The estate names no SQL instance.'));
  else {
    lines.push(`| ${t('Instance')} | ${t('Endpoint')} | ${t('Reachable')} | ${t('Login')} | ${t('TLS')} | @@SERVERNAME | @@VERSION | ${t('Time')} |`, '|---|---|---|---|---|---|---|---|');
    for (const c of report.sql) {
      const reachable = c.outcome === 'ok' || c.failure === 'login' ? yes : c.outcome === 'skipped' ? '–' : no;
      const login = c.outcome === 'ok' ? `${yes} (${cell(c.account)})` : c.failure === 'login' ? `**${no}** (${cell(c.account)})` : '–';
      const tls = c.failure === 'tls' ? `**${t('failed')}**` : cell(c.tls);
      const version = c.version ? cell(c.version.split(/\r?\n/)[0]) : '–';
      lines.push(`| ${cell(c.instanceId)} | ${cell(c.endpoint)} | ${reachable} | ${login} | ${tls} | ${cell(c.serverName)} | ${version} | ${c.outcome === 'skipped' ? '–' : `${c.ms} ms`} |`);
    }
    const notes = report.sql.filter((c) => c.message);
    if (notes.length > 0) {
      lines.push('', `### ${t('Problems')}`, '');
      for (const c of notes) lines.push(`- **${md(c.instanceId)}** — ${md(c.message!)}`);
    }
  }
  const s = report.shell;
  const word = (v: 'ok' | 'failed' | 'not-run') => (v === 'ok' ? t('OK') : v === 'failed' ? `**${t('failed')}**` : t('not run'));
  lines.push(
    '',
    `## ${t('Lync Management Shell')}`,
    '',
    `- ${t('Shell')}: ${md(s.description)}`,
    `- ${t('Start-up (prelude)')}: ${word(s.prelude)}`,
    `- ${t('Get-CsPool answers')}: ${word(s.getCsPool)}${s.pools !== undefined ? ` — ${t('{0} pool(s)', s.pools)}` : ''}${s.ms ? ` (${s.ms} ms)` : ''}`,
  );
  if (s.message) lines.push(`- ${md(s.message)}`);
  if (report.settingProblems.length > 0) {
    lines.push('', `## ${t('Settings')}`, '');
    for (const p of report.settingProblems) lines.push(`- ${md(p.message)}`);
  }
  lines.push('', `_${t('Passwords are never shown here: SQL passwords are kept in VS Code\'s secret storage.')}_`, '');
  return lines.join('\n');
}
