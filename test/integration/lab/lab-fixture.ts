/** Starts a lab for an integration test (SQL side only unless asked) and opens mssql pools on it. */
import fs from 'node:fs';
import sql from 'mssql';
import { type Lab, type StartLabOptions, startLab } from '../../../src/lab/lab';
import { litwareEstate, START } from '../../unit/lab/fixtures';

type TestContext = { after(fn: () => Promise<void> | void): void };

export async function testLab(t: TestContext, opts: Partial<StartLabOptions> = {}): Promise<Lab> {
  const lab = await startLab({ estate: litwareEstate(), scenario: 'pchat-dc-loss', shell: false, progressDelayMs: 5, clock: { start: new Date(START.getTime() + 60 * 60_000) }, ...opts });
  t.after(() => lab.stop());
  return lab;
}

export interface PoolOptions {
  readonly encrypt?: boolean;
  readonly password?: string;
  readonly max?: number;
  readonly ca?: string;
}

export function poolConfig(lab: Lab, instanceId: string, o: PoolOptions = {}): sql.config {
  const i = lab.info.instances[instanceId]!;
  return {
    server: 'localhost', port: i.port, user: i.user, password: o.password ?? i.password, database: 'master',
    connectionTimeout: 5000, requestTimeout: 10000,
    options: { encrypt: o.encrypt ?? false, trustServerCertificate: false, cryptoCredentialsDetails: { ca: o.ca ?? fs.readFileSync(i.caFile, 'utf8') } },
    pool: { max: o.max ?? 1, min: 0 },
  };
}

export async function openPool(t: TestContext, lab: Lab, instanceId: string, o: PoolOptions = {}): Promise<sql.ConnectionPool> {
  const pool = await new sql.ConnectionPool(poolConfig(lab, instanceId, o)).connect();
  t.after(() => pool.close());
  return pool;
}
