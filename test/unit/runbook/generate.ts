/** Test and bench helper: a long runbook made of the failover sample's steps repeated (unique ids). */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
export const FAILOVER_SAMPLE = fs.readFileSync(path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md'), 'utf8');

/** The failover sample's steps repeated (with unique ids) until the runbook has `lines` lines. */
export function runbookOf(lines: number, sample = FAILOVER_SAMPLE): string {
  const [front, body] = [sample.slice(0, sample.indexOf('## ')), sample.slice(sample.indexOf('## '))];
  const out = [front];
  let count = front.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const chunk = body.replace(/\{#([a-z-]+)\}/g, `{#$1-${i}}`);
    out.push(chunk);
    count += chunk.split('\n').length;
  }
  return out.join('').split('\n').slice(0, lines).join('\n');
}
