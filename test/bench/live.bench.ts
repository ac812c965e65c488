/**
 * Live status (issue 6): a refresh of the sample estate against the rehearsal lab (scenario
 * pchat-dc-loss: two SQL instances down, 4 up, 3 pools through the shell stand-in) ≤ 500 ms.
 * Figures: the first refresh (TLS logins, the shell's start) and the median of warm refreshes
 * (connections and shell kept, as the extension keeps them between refreshes).
 */
import fs from 'node:fs';
import { createTargetClients } from '../../src/extension/connections/clients';
import { Credentials, MemorySecretStore } from '../../src/extension/connections/credentials';
import { parseShellSettings } from '../../src/extension/connections/settings';
import { parseLabInfo } from '../../src/extension/connections/target';
import { livePlan } from '../../src/extension/live/plan';
import { LiveStatusService } from '../../src/extension/live/statusService';
import { silentLogger } from '../../src/extension/log';
import { parseEstate } from '../../src/core/estate/load';
import { startLab } from '../../src/lab/lab';
import type { BenchFigure } from './figures';

const ESTATE_FILE = new URL('../../samples/litware/lync-estate.yaml', import.meta.url);
const WARM_RUNS = 9;

export async function run(): Promise<BenchFigure[]> {
  const loaded = parseEstate(fs.readFileSync(ESTATE_FILE, 'utf8'), ESTATE_FILE.pathname);
  if (!loaded.estate) throw new Error('the sample estate does not load');
  const estate = loaded.estate;
  const lab = await startLab({ estate, scenario: 'pchat-dc-loss', progressDelayMs: 0 });
  const clients = createTargetClients({
    target: { kind: 'rehearsal', info: parseLabInfo(JSON.parse(JSON.stringify(lab.info))), source: 'bench' },
    estate,
    connections: { profiles: new Map(), problems: [] },
    shell: parseShellSettings({}).settings,
    timeoutMs: 5000,
    credentials: new Credentials(new MemorySecretStore(), async () => undefined, silentLogger),
    readFile: (p) => fs.promises.readFile(p, 'utf8'),
    log: silentLogger,
  });
  const plan = livePlan(estate);
  const service = new LiveStatusService({ clients: () => clients, plan: () => plan, timeoutMs: () => 5000, log: silentLogger });
  try {
    const first = await service.refresh();
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push((await service.refresh()).ms);
    warm.sort((a, b) => a - b);
    const failedUnexpectedly = [...service.readings.sql.entries()].filter(([id, e]) => e.last?.status !== 'up' && lab.info.instances[id]?.reachable).length
      + [...service.readings.pools.values()].filter((e) => e.last?.status !== 'ok').length;
    return [
      { name: 'live refresh, first (logins + shell start)', value: first.ms, unit: 'ms' },
      { name: `live refresh, warm (median of ${WARM_RUNS})`, value: warm[warm.length >> 1]!, unit: 'ms', limit: 500 },
      { name: 'readings not as the scenario says', value: failedUnexpectedly, unit: '', limit: 0 },
    ];
  } finally {
    await clients.dispose();
    await lab.stop();
  }
}
