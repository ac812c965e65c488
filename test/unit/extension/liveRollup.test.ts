/**
 * The Estate view's roll-up: with Atlanta dark, the top-level Atlanta row and the pool row say what
 * is down (not a green ✓ over failures three levels down); after the failover they say so.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { childrenOf, estateNodes, type EstateNode } from '../../../src/extension/estateTree/model';
import type { LiveEntry, PoolReading, SqlReading } from '../../../src/extension/live/readings';
import { liveDecoration, type LiveLookup } from '../../../src/extension/live/viewModel';

const FILE = path.resolve(__dirname, '../../../samples/litware/lync-estate.yaml');
const estate = parseEstate(fs.readFileSync(FILE, 'utf8'), FILE).estate!;
const READ_AT = Date.UTC(2026, 11, 7, 2, 0, 0);

const down = (): LiveEntry<SqlReading> => ({ reading: false, last: { status: 'failed', failure: 'unreachable', message: 'Cannot connect: connection refused', readAt: READ_AT, ms: 3 } });
const sqlUp = (): LiveEntry<SqlReading> => ({ reading: false, last: { status: 'up', serverName: 'X\\PCHAT', version: 'Microsoft SQL Server 2012', databases: [], readAt: READ_AT, ms: 3 } });
const pc = (poolState: string): LiveEntry<PoolReading> => ({ reading: false, last: { status: 'ok', kind: 'persistent-chat', poolState, readAt: READ_AT, ms: 3 } });
const fe = (exportStatus: string): LiveEntry<PoolReading> => ({ reading: false, last: { status: 'ok', kind: 'front-end', modules: [{ module: 'ConfServices.DataConf', exportStatus, importStatus: 'SteadyState' }], readAt: READ_AT, ms: 3 } });
const feSteady = () => fe('SteadyState');

/** Atlanta dark: its two Persistent Chat SQL instances refuse connections; the pool says `poolState`. */
function darkAtlanta(poolState: string): LiveLookup {
  return {
    sql: (id) => (id.startsWith('atl-') ? down() : sqlUp()),
    pool: (fqdn) => (fqdn.startsWith('atl-gc') ? pc(poolState) : feSteady()),
  };
}

const ctx = { badge: 'REHEARSAL' as const };
const site = (name: string): EstateNode => estateNodes(estate).find((n) => n.kind === 'site' && n.label === name)!;
const pcPool = (): EstateNode => childrenOf(site('Atlanta')).find((n) => n.label === 'atl-gc-001.litwareinc.com')!;

describe('what is down, rolled up', () => {
  it('Atlanta dark, not failed over: the Atlanta row and the pool row are down and say why', () => {
    const top = liveDecoration(site('Atlanta').live!, darkAtlanta('Normal'), ctx)!;
    assert.equal(top.icon, 'down');
    assert.equal(top.description, '2 SQL instances down · atl-gc-001 not failed over');
    const pool = liveDecoration(pcPool().live!, darkAtlanta('Normal'), ctx)!;
    assert.equal(pool.icon, 'down');
    assert.equal(pool.description, '2 SQL instances down · atl-gc-001 not failed over · Normal');
    assert.equal(pool.facet, 'status=down');
  });

  it('after the failover: failed over is said, as a state that needs a look, not a fault', () => {
    const top = liveDecoration(site('Atlanta').live!, darkAtlanta('FailedOver'), ctx)!;
    assert.equal(top.icon, 'attention');
    assert.equal(top.description, '2 SQL instances down · atl-gc-001 failed over');
  });

  it('nothing down: the site row is ok; nothing read yet: no live words at all', () => {
    const healthy: LiveLookup = { sql: () => sqlUp(), pool: (fqdn) => (fqdn.startsWith('atl-gc') ? pc('Normal') : feSteady()) };
    assert.deepEqual([liveDecoration(site('Atlanta').live!, healthy, ctx)!.icon, liveDecoration(site('Atlanta').live!, healthy, ctx)!.description], ['ok', 'nothing down']);
    assert.equal(liveDecoration(pcPool().live!, healthy, ctx)!.description, 'Normal');
    assert.equal(liveDecoration(site('Atlanta').live!, { sql: () => undefined, pool: () => undefined }, ctx), undefined);
  });

  it('a pool that does not answer, and a Backup Service in ErrorState, are down at the top', () => {
    const lookup: LiveLookup = {
      sql: () => sqlUp(),
      pool: (fqdn) =>
        fqdn.startsWith('dal-cs')
          ? fe('ErrorState')
          : { reading: false, last: { status: 'failed', failure: 'timeout', message: 'no answer within 10 s', readAt: READ_AT, ms: 10_000 } },
    };
    assert.deepEqual([liveDecoration(site('Dallas').live!, lookup, ctx)!.icon, liveDecoration(site('Dallas').live!, lookup, ctx)!.description], ['down', 'dal-cs-001: Backup Service in ErrorState']);
    assert.match(liveDecoration(site('Atlanta').live!, lookup, ctx)!.description, /atl-cs-001 does not answer · atl-gc-001 does not answer/);
  });
});
