/**
 * A rehearsal lab on the sample estate, and the adapters' settings for it: what a rehearsal
 * entry point wires up. Each test file starts its own lab and stops it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlConnectionSettings } from '../../../src/adapters/sql/settings';
import type { PowerShellSessionOptions } from '../../../src/adapters/shell/session';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { startLab, type Lab, type StartLabOptions } from '../../../src/lab/lab';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples/litware/lync-estate.yaml');

export function sampleEstate(): Estate {
  const { estate } = parseEstate(fs.readFileSync(SAMPLE, 'utf8'), SAMPLE);
  if (!estate) throw new Error('the sample estate does not load');
  return estate;
}

export function startSampleLab(options: Partial<StartLabOptions> = {}): Promise<Lab> {
  return startLab({ estate: sampleEstate(), scenario: 'pchat-dc-loss', ...options });
}

/** Verified TLS against the lab CA; the lab's certificate is issued for `localhost`. */
export function sqlSettings(lab: Lab, overrides: Partial<SqlConnectionSettings> = {}): (instanceId: string) => SqlConnectionSettings {
  return (instanceId) => {
    const i = lab.info.instances[instanceId];
    if (!i) throw new Error(`no SQL instance '${instanceId}' in the lab`);
    return {
      host: i.host,
      port: i.port,
      auth: { kind: 'sql', user: i.user, password: i.password },
      encrypt: true,
      trustServerCertificate: false,
      caPem: fs.readFileSync(i.caFile, 'utf8'),
      tlsServerName: 'localhost',
      connectTimeoutMs: 5_000,
      ...overrides,
    };
  };
}

export function shellOptions(lab: Lab, overrides: Partial<PowerShellSessionOptions> = {}): PowerShellSessionOptions {
  const launch = lab.info.shell;
  if (!launch) throw new Error('the lab was started without its shell');
  return { executable: launch.executable, args: launch.args, env: launch.env, prelude: launch.prelude, invocationTimeoutMs: 20_000, ...overrides };
}

/** Collects log lines, to prove no secret reaches them. */
export function recordingLog(): { lines: string[]; debug(m: string): void; warn(m: string): void } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(m), warn: (m) => lines.push(m) };
}
