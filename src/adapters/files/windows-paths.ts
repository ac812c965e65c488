/**
 * Windows path helpers for the file adapter. Paths are given as the estate writes them (UNC
 * `\\host\share\folder` or drive `D:\folder`) and reported back the same way, whatever the
 * machine; only `mapPath` (the adapter's option) turns them into local paths.
 */

/** The name after the last separator. */
export function windowsBaseName(windowsPath: string): string {
  const parts = windowsPath.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? '';
}

export function windowsJoin(folder: string, name: string): string {
  return `${folder.replace(/[\\/]+$/, '')}\\${name}`;
}

/** `\\host\share` of a UNC path; undefined for any other path. */
export function uncShare(windowsPath: string): string | undefined {
  const m = /^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)/.exec(windowsPath);
  return m ? `\\\\${m[1]}\\${m[2]}` : undefined;
}

/** `*` and `?` wildcards, matched against the whole name, case-insensitively (as Windows does). */
export function wildcardToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i');
}
