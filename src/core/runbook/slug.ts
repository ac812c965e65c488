/**
 * Step ids: `## 3. Apply the log backups {#apply-logs}` → `apply-logs`; without `{#…}` the slug of
 * the heading, leading numbering removed so renumbering steps keeps their ids (and journal keys).
 */
export function stepIdOf(heading: string): { id: string; title: string; explicit: boolean } {
  const explicit = /\s*\{#([^}\s]+)\}\s*$/.exec(heading);
  const title = (explicit ? heading.slice(0, explicit.index) : heading).trim();
  if (explicit) return { id: explicit[1]!, title, explicit: true };
  return { id: slugify(title.replace(/^(step\s+)?\d+[.):]?\s*[-–—:]?\s*/i, '')), title, explicit: false };
}

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}
