/** Journal names and action keys (runbook-format.md "Execution"). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ActionKey, ActionRef } from '../../core/recovery/journal';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The runbook's identity: its real path (symbolic links and `..` resolved, so one file reached two
 * ways is one runbook), case-folded where the file system is. A file not there (yet) keeps the
 * path as given, resolved.
 */
export function runbookId(runbookPath: string, platform: NodeJS.Platform = process.platform): string {
  let resolved = path.resolve(runbookPath);
  try {
    resolved = fs.realpathSync.native(resolved);
  } catch {
    // not there: the path as given
  }
  return platform === 'win32' || platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

/** What a runbook's text is, whatever file holds it (line endings aside): a copy has the same. */
export function runbookContentId(text: string): string {
  return `sha256:${sha256(text.replace(/\r\n?/g, '\n'))}`;
}

/** `<name>-<hash of the runbook id>.jsonl`: readable, and unique per runbook path. */
export function journalFileName(id: string): string {
  const base = path.basename(id).replace(/\.runbook\.md$|\.md$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'runbook';
  return `${base}-${sha256(id).slice(0, 16)}.jsonl`;
}

/**
 * Line endings and trailing blanks do not change an action; anything else in its text does.
 * (A runbook saved with CRLF must not re-run completed actions.)
 */
function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();
}

export function actionKey(id: string, ref: ActionRef): ActionKey {
  const parts: (string | number)[] = ['lync-recovery/action/1', id, ref.stepId, ref.index, normaliseText(ref.text)];
  if (ref.item !== undefined) parts.push(ref.item);
  return sha256(JSON.stringify(parts)).slice(0, 32);
}

/** What a journal record links to: the hash of the previous record's line (journal.ts, `prev`). */
export const chainLink = (line: string): string => `sha256:${sha256(line)}`;
export const GENESIS_LINK = chainLink('');

/** The file name of the lock on one recovery target or runbook text: `<hash>.lock`. */
export const targetLockName = (what: string): string => `${sha256(what).slice(0, 24)}.lock`;

export function outputDigest(output: string): string {
  return `sha256:${sha256(output)}`;
}
