/**
 * What status reads and recovery steps talk to: the **live** estate (the servers the estate file
 * names, with the connection settings and saved passwords), or a **rehearsal** lab (a simulated
 * estate on 127.0.0.1, described by the lab's info JSON). Pure: parsing and labels only.
 */
import type { LabShellLaunch, LabSqlEndpoint } from './settings';

/** The lab's `info` (src/lab/lab.ts `LabInfo`), as much of it as the extension uses. */
export interface RehearsalLabInfo {
  readonly scenario: string;
  readonly caFile: string;
  readonly instances: Readonly<Record<string, LabSqlEndpoint & { readonly caFile?: string; readonly reachable?: boolean }>>;
  readonly shell: LabShellLaunch | null;
  readonly faults?: readonly string[];
  readonly root?: string;
}

export type Target =
  | { readonly kind: 'live' }
  | {
      readonly kind: 'rehearsal';
      readonly info: RehearsalLabInfo;
      /** Where the info came from: a file path, `LYNC_RECOVERY_LAB`, or "started by Lync Recovery". */
      readonly source: string;
    };

export const LIVE: Target = { kind: 'live' };

/** Environment variable naming a lab info JSON file (set by `npm run demo` and the end-to-end tests). */
export const LAB_ENV = 'LYNC_RECOVERY_LAB';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a lab info JSON value; throws one sentence saying what is wrong (never echoing a password). */
export function parseLabInfo(value: unknown): RehearsalLabInfo {
  if (!isRecord(value)) throw new Error('not a lab info object (expected the JSON that `npm run lab` prints)');
  if (!isRecord(value.instances)) throw new Error('the lab info has no "instances" object');
  const instances: Record<string, LabSqlEndpoint & { caFile?: string; reachable?: boolean }> = {};
  for (const [id, raw] of Object.entries(value.instances)) {
    if (!isRecord(raw)) throw new Error(`instance "${id}" of the lab info is not an object`);
    const { host, port, user, password, caFile, reachable } = raw;
    if (typeof host !== 'string' || typeof port !== 'number' || typeof user !== 'string' || typeof password !== 'string') {
      throw new Error(`instance "${id}" of the lab info lacks host, port, user or password`);
    }
    instances[id] = { host, port, user, password, ...(typeof caFile === 'string' ? { caFile } : {}), ...(typeof reachable === 'boolean' ? { reachable } : {}) };
  }
  const caFile = typeof value.caFile === 'string' ? value.caFile : Object.values(instances).find((i) => i.caFile)?.caFile;
  if (!caFile) throw new Error('the lab info names no CA file (caFile)');
  let shell: LabShellLaunch | null = null;
  if (isRecord(value.shell)) {
    const { executable, args, env, prelude } = value.shell;
    const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((a) => typeof a === 'string');
    if (typeof executable !== 'string' || !isStrings(args) || !isRecord(env) || !isStrings(prelude)) {
      throw new Error('the lab info\'s "shell" lacks executable, args, env or prelude');
    }
    shell = { executable, args, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])), prelude };
  }
  return {
    scenario: typeof value.scenario === 'string' ? value.scenario : 'unknown',
    caFile,
    instances,
    shell,
    ...(Array.isArray(value.faults) ? { faults: value.faults.filter((f): f is string => typeof f === 'string') } : {}),
    ...(typeof value.root === 'string' ? { root: value.root } : {}),
  };
}

/** The short words the status bar and the view title show. */
export function targetBadge(target: Target): 'LIVE' | 'REHEARSAL' {
  return target.kind === 'live' ? 'LIVE' : 'REHEARSAL';
}

/** One line for tooltips and reports. */
export function describeTarget(target: Target): string {
  if (target.kind === 'live') return 'LIVE — the servers named in the estate file';
  const faults = target.info.faults?.length ? `, faults: ${target.info.faults.join(', ')}` : '';
  return `REHEARSAL — simulated estate on 127.0.0.1 (scenario ${target.info.scenario}${faults}; from ${target.source})`;
}
