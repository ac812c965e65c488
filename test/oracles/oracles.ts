/**
 * The oracles: Microsoft's own parsers and client, run as child processes that read a JSON request
 * on stdin and answer JSON on stdout. Each test file sends its texts in one batch, so each oracle
 * starts once per file.
 *
 * - PowerShell's parser: `parse-powershell.ps1` under the pwsh the lab uses (findPowerShell).
 * - ScriptDom and SqlClient: the .NET console project in `dotnet/`, built once into
 *   `.artifacts/oracles/dotnet-<hash of its sources>` (a second run finds it and starts at once).
 *   The build runs in a private copy and lands by rename, so two test files building at the same
 *   time cannot corrupt each other's output. `dotnet restore` uses the machine's NuGet feed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findPowerShell, PWSH_INSTALL_HINT } from '../../src/lab/shell/pwsh';

export const ROOT = path.resolve(__dirname, '../..');
const HERE = path.join(ROOT, 'test', 'oracles');
const DOTNET_SOURCES = ['Oracles.csproj', 'Program.cs'];
const ARTIFACTS = path.join(ROOT, '.artifacts', 'oracles');

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** An oracle that has not answered by then is stuck: fail with what it said rather than hang the suite. */
const ORACLE_TIMEOUT_MS = 300_000;

function run(command: string, args: readonly string[], input: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not answer within ${ORACLE_TIMEOUT_MS / 1000} s; it wrote: ${Buffer.concat(err).toString('utf8').slice(0, 500)}`));
    }, ORACLE_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
    child.stdin.end(input, 'utf8');
  });
}

function answer<T>(what: string, r: Run): T {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${what} did not answer JSON: ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
  }
}

// ---- PowerShell's parser ----

export interface PsParseError {
  readonly id: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface PsVerdict {
  readonly errors: readonly PsParseError[];
  readonly commands: readonly { readonly name: string | null; readonly invoked: boolean; readonly start: number; readonly parameters: readonly string[] }[];
}

/** PowerShell's own parser on each text: errors with offsets, and the commands it found. */
export async function parsePowerShell(texts: readonly string[]): Promise<PsVerdict[]> {
  const pwsh = findPowerShell();
  if (!pwsh) throw new Error(`The PowerShell parser oracle needs pwsh and none was found. Install it: ${PWSH_INSTALL_HINT}`);
  const r = await run(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', path.join(HERE, 'parse-powershell.ps1')], JSON.stringify(texts));
  const verdicts = answer<PsVerdict[]>('parse-powershell.ps1', r);
  if (verdicts.length !== texts.length) throw new Error(`parse-powershell.ps1 answered ${verdicts.length} verdicts for ${texts.length} texts`);
  return verdicts;
}

// ---- ScriptDom and SqlClient ----

let built: Promise<string> | undefined;

/** The oracle's DLL, built when its sources changed since the last build. */
export function buildDotnetOracle(): Promise<string> {
  built ??= (async () => {
    const hash = createHash('sha256');
    for (const name of DOTNET_SOURCES) hash.update(name).update(fs.readFileSync(path.join(HERE, 'dotnet', name)));
    const out = path.join(ARTIFACTS, `dotnet-${hash.digest('hex').slice(0, 16)}`);
    const dll = path.join(out, 'Oracles.dll');
    if (fs.existsSync(dll)) return dll;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const work = fs.mkdtempSync(path.join(ARTIFACTS, 'build-'));
    try {
      for (const name of DOTNET_SOURCES) fs.copyFileSync(path.join(HERE, 'dotnet', name), path.join(work, name));
      const r = await run('dotnet', ['build', '-c', 'Release', '--nologo', '-v', 'quiet', '-o', path.join(work, 'out'), path.join(work, 'Oracles.csproj')], '', { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' });
      if (r.code !== 0) throw new Error(`dotnet build of test/oracles/dotnet failed (exit ${r.code}); is the .NET 10 SDK on PATH?\n${r.stdout}${r.stderr}`);
      try {
        fs.renameSync(path.join(work, 'out'), out);
      } catch (e) {
        // Another test file built the same sources first: its output is as good as ours.
        if (!fs.existsSync(dll)) throw e;
      }
      return dll;
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  })();
  return built;
}

async function dotnetOracle<T>(request: object, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const dll = await buildDotnetOracle();
  return answer<T>('the .NET oracle', await run('dotnet', [dll], JSON.stringify(request), env));
}

export const TSQL_PARSERS = ['TSql100', 'TSql110', 'TSql120'] as const;
export type TsqlParserName = (typeof TSQL_PARSERS)[number];

export interface TsqlParseError {
  readonly number: number;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface TsqlVerdict {
  readonly errors: Readonly<Record<TsqlParserName, readonly TsqlParseError[]>>;
  /** From TSql120Parser; offsets in UTF-16 code units, end exclusive. */
  readonly batches: readonly { readonly start: number; readonly end: number; readonly statements: readonly { readonly start: number; readonly end: number; readonly type: string }[] }[];
  readonly tokens: readonly { readonly kind: 'comment' | 'string' | 'quoted' | 'go' | 'semicolon'; readonly start: number; readonly end: number; readonly text: string }[];
}

/** ScriptDom's parsers for SQL Server 2008 R2, 2012 and 2014 on each text. */
export async function parseTsql(texts: readonly string[]): Promise<TsqlVerdict[]> {
  const a = await dotnetOracle<{ parsers: string[]; results: TsqlVerdict[] }>({ op: 'parse', texts });
  if (a.parsers.join() !== TSQL_PARSERS.join()) throw new Error(`the .NET oracle ran ${a.parsers.join(', ')}, expected ${TSQL_PARSERS.join(', ')}`);
  return a.results;
}

export interface SqlMessage {
  readonly number: number;
  readonly class: number;
  readonly message: string;
  readonly state?: number;
}

export interface SqlStep {
  readonly kind: 'batch' | 'rpc';
  readonly text: string;
  readonly params?: Readonly<Record<string, { readonly type: string; readonly value: string | number }>>;
}

export interface SqlStepResult {
  readonly resultSets?: readonly (readonly Record<string, string | null>[])[];
  readonly error?: SqlMessage;
  readonly info: readonly SqlMessage[];
}

export interface SqlClientAnswer {
  /** The login error, or null when the login succeeded. */
  readonly login: SqlMessage | null;
  readonly steps?: readonly SqlStepResult[];
}

export interface SqlClientTarget {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** PEM of the CA the client trusts: the only root it trusts (SSL_CERT_FILE). */
  readonly caFile: string;
}

/** Microsoft.Data.SqlClient logs in over TLS (certificate verified) and runs the steps in order. */
export function runSqlClient(target: SqlClientTarget, steps: readonly SqlStep[]): Promise<SqlClientAnswer> {
  return dotnetOracle<SqlClientAnswer>(
    { op: 'sql', server: `127.0.0.1,${target.port}`, user: target.user, password: target.password, steps },
    { ...process.env, SSL_CERT_FILE: target.caFile, SSL_CERT_DIR: path.dirname(target.caFile) },
  );
}

// ---- counts ----

export interface OracleCounts {
  /** What was judged, e.g. "PowerShell texts (builders, procedures, snippets, samples, docs)". */
  readonly check: string;
  readonly texts: number;
  readonly parsers: readonly string[];
  /** Disagreements left, each documented; undocumented ones fail the test. */
  readonly disagreements: number;
}

/**
 * Records a check's counts for `npm test` to print (scripts/test.mjs reads
 * .artifacts/oracles/counts) and as a test diagnostic.
 */
export function recordCounts(t: { diagnostic(message: string): void }, name: string, counts: OracleCounts): void {
  const dir = path.join(ARTIFACTS, 'counts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(counts));
  t.diagnostic(`${counts.check}: ${counts.texts} texts, parsers ${counts.parsers.join(', ')}, disagreements ${counts.disagreements}`);
}
