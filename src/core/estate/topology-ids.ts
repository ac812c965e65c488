/** Readable, unique ids for the draft estate's data centers and SQL instances. */
import type { TopologyCluster, TopologySite } from './topology-published';

/**
 * Gives each item the first of its candidate ids that no other item wants at the same step;
 * items still colliding after their last candidate get a numeric suffix.
 */
export function uniqueIds(candidates: readonly (readonly string[])[]): string[] {
  const ids: (string | undefined)[] = candidates.map(() => undefined);
  const taken = new Set<string>();
  const longest = Math.max(0, ...candidates.map((c) => c.length));
  for (let step = 0; step < longest; step++) {
    const pending = ids.flatMap((id, i) => (id === undefined ? [i] : []));
    const wanted = pending.map((i) => candidates[i][Math.min(step, candidates[i].length - 1)]);
    for (const [n, i] of pending.entries()) {
      const id = wanted[n];
      if (!taken.has(id) && wanted.filter((w) => w === id).length === 1) {
        ids[i] = id;
        taken.add(id);
      }
    }
  }
  return ids.map((id, i) => {
    if (id !== undefined) return id;
    const base = candidates[i][candidates[i].length - 1];
    let n = 2;
    while (taken.has(`${base}-${n}`)) n++;
    taken.add(`${base}-${n}`);
    return `${base}-${n}`;
  });
}

/** `atl-pcsql-001.litwareinc.com` → `atl-pcsql`, then `atl-pcsql-001`, then `atl-pcsql-001-pchat`. */
export function sqlInstanceIdCandidates(server: string, instance: string): string[] {
  const label = firstLabel(server);
  const stripped = label.replace(/-\d+$/, '') || label;
  return [stripped, label, `${label}-${slug(instance) || 'default'}`];
}

/**
 * A site's data center id: the host-name prefix most of its clusters share (`atl-cs-001` → `atl`),
 * the usual naming convention for a data center; else the slug of the site name.
 */
export function datacenterIdCandidates(site: TopologySite, clusters: readonly TopologyCluster[]): string[] {
  const counts = new Map<string, number>();
  for (const cluster of clusters) {
    const label = firstLabel(cluster.fqdn);
    const prefix = label.split('-')[0];
    if (label.includes('-') && /^[a-z][a-z0-9]*$/.test(prefix)) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [prefix, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = prefix;
  return [best, slug(site.name), `site-${slug(site.siteId)}`].filter((id): id is string => !!id);
}

function firstLabel(fqdn: string): string {
  return fqdn.split('.')[0].toLowerCase();
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
