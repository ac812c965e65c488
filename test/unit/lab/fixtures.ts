/** Shared set-up for the lab's tests: the Litware sample estate, a model in a temp root, an engine session. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate, SqlVersion } from '../../../src/core/estate/model';
import { FaultSet } from '../../../src/lab/faults';
import { applyScenario, LabModel, type ScenarioName, wireFaultEffects } from '../../../src/lab/model';
import type { SqlMessage } from '../../../src/lab/model/sql-error';
import { type EngineEvent, SqlSession } from '../../../src/lab/sql/context';
import { SqlEngine } from '../../../src/lab/sql/engine';
import type { Column, SqlValue } from '../../../src/lab/sql/types';

export const SAMPLE_ESTATE = path.resolve(__dirname, '../../../samples/litware/lync-estate.yaml');

/** The sample estate; with `sqlVersion`, every SQL instance of it declares that release. */
export function litwareEstate(sqlVersion?: SqlVersion): Estate {
  const text = fs.readFileSync(SAMPLE_ESTATE, 'utf8');
  const written = sqlVersion ? text.replace(/^( {2}- \{ id: [\w-]+, server: .*datacenter: \w+) \}$/gm, `$1, sqlVersion: ${sqlVersion} }`) : text;
  if (sqlVersion && written === text) throw new Error('the sample estate no longer has one-line SQL instances');
  const result = parseEstate(written, SAMPLE_ESTATE);
  if (!result.estate) throw new Error(`sample estate does not load: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.estate;
}

/** A fixed simulated start so file names and dates are predictable. */
export const START = new Date('2024-05-06T07:00:00Z');

export function tempRoot(t: { after(fn: () => void): void }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-lab-test-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

export function makeModel(t: { after(fn: () => void): void }, scenario: ScenarioName = 'steady', faults: string[] = [], sqlVersion?: SqlVersion): LabModel {
  const model = new LabModel({ estate: litwareEstate(sqlVersion), root: tempRoot(t), faults: new FaultSet(), start: START });
  applyScenario(model, scenario);
  const unwire = wireFaultEffects(model);
  t.after(unwire);
  for (const f of faults) model.faults.arm(f);
  return model;
}

export interface RunResult {
  readonly sets: { columns: readonly Column[]; rows: readonly (readonly SqlValue[])[] }[];
  readonly infos: SqlMessage[];
  readonly errors: SqlMessage[];
  readonly events: EngineEvent[];
}

/** An engine session on one instance, as a connected client (in `database`). */
export function connect(model: LabModel, instanceId: string, database = 'master') {
  const instance = model.instance(instanceId)!;
  const lab = instance.openSession({ login: 'lab', host: 'TESTHOST', program: 'node-test', database, loginTime: model.now(), kill: () => instance.closeSession(lab.spid) });
  const session = new SqlSession(model, instance, lab);
  const engine = new SqlEngine({ progressDelayMs: 0 });
  const collect = async (events: AsyncIterable<EngineEvent>): Promise<RunResult> => {
    const all: EngineEvent[] = [];
    for await (const e of events) all.push(e);
    return {
      events: all,
      sets: all.flatMap((e) => (e.kind === 'rows' ? [{ columns: e.columns, rows: e.rows }] : [])),
      infos: all.flatMap((e) => (e.kind === 'message' && e.message.class <= 10 ? [e.message] : [])),
      errors: all.flatMap((e) => (e.kind === 'message' && e.message.class > 10 ? [e.message] : [])),
    };
  };
  return {
    session,
    run: (sql: string, params: Record<string, SqlValue> = {}, signal = new AbortController().signal) => {
      const map = new Map(Object.entries(params).map(([k, v]) => [`@${k.toLowerCase()}`, { type: { kind: 'nvarchar', length: 4000 } as const, value: v }]));
      return collect(engine.executeBatch(sql, { session, signal }, map));
    },
    rpc: (proc: string, args: { name?: string; value: SqlValue }[]) => collect(engine.executeRpc(proc, args, { session, signal: new AbortController().signal })),
  };
}

/** Rows of the first result set as objects (duplicate column names keep the first). */
export function objects(r: RunResult, set = 0): Record<string, SqlValue>[] {
  const s = r.sets[set];
  if (!s) throw new Error(`no result set ${set}; errors: ${r.errors.map((e) => `${e.number} ${e.message}`).join(' | ')}`);
  return s.rows.map((row) => Object.fromEntries([...s.columns].reverse().map((c, i) => [c.name, row[s.columns.length - 1 - i]!])));
}
