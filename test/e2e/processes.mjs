// @ts-check
// Process-group bookkeeping for the throw-away code-server and browser (Linux /proc).
// code-server forks extension hosts, file watchers and pty hosts; killing its own pid leaves
// them running, so everything it starts is tracked and killed by process group.
import fs from 'node:fs';

/** @returns {{ pid: number, ppid: number, pgid: number, state: string }[]} */
function processTable() {
  /** @type {{ pid: number, ppid: number, pgid: number, state: string }[]} */
  const rows = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after "(comm) ": state ppid pgrp ...; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.push({ pid: Number(name), state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // the process went away while we looked
    }
  }
  return rows;
}

/** Live (non-zombie) pids of a process group. @param {number} pgid */
export function groupPids(pgid) {
  return processTable().filter((p) => p.pgid === pgid && p.state !== 'Z').map((p) => p.pid);
}

/** Live (non-zombie) direct children of a process. @param {number} ppid */
export function childPids(ppid) {
  return processTable().filter((p) => p.ppid === ppid && p.state !== 'Z').map((p) => p.pid);
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM each group, wait up to graceMs for them to go, then SIGKILL what is left.
 * @param {number[]} pgids
 * @param {number} [graceMs]
 * @returns {Promise<number[]>} the pids that had to be SIGKILLed
 */
export async function stopProcessGroups(pgids, graceMs = 5000) {
  for (const pgid of pgids) {
    try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pgids.some((pgid) => groupPids(pgid).length > 0)) await delay(100);
  const left = pgids.flatMap(groupPids);
  for (const pid of left) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  return left;
}

/** Samples the proportional set size (PSS) of named process groups and keeps the peaks. */
export class PeakMemory {
  /** @type {Map<string, number>} */
  #groups = new Map();
  /** @type {Map<string, number>} KiB */
  #peaks = new Map();
  #timer;

  /** @param {number} [intervalMs] */
  constructor(intervalMs = 500) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  /** @param {string} name @param {number} pgid */
  track(name, pgid) {
    this.#groups.set(name, pgid);
  }

  sample() {
    /** @type {Map<string, number>} */
    const sums = new Map();
    for (const { pid, pgid } of processTable()) {
      for (const [name, tracked] of this.#groups) {
        if (tracked !== pgid) continue;
        try {
          const m = /Pss:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
          if (m) sums.set(name, (sums.get(name) ?? 0) + Number(m[1]));
        } catch {
          // the process went away while we looked
        }
      }
    }
    let total = 0;
    for (const [name, kib] of sums) {
      this.#peaks.set(name, Math.max(this.#peaks.get(name) ?? 0, kib));
      total += kib;
    }
    this.#peaks.set('total', Math.max(this.#peaks.get('total') ?? 0, total));
  }

  stop() {
    clearInterval(this.#timer);
  }

  /** e.g. "code-server=310 chromium=150 total=455" (MiB) */
  toString() {
    return [...this.#peaks].map(([name, kib]) => `${name}=${Math.round(kib / 1024)}`).join(' ');
  }
}
