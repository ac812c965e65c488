/**
 * Pure rules about estate files: the name discovery looks for, how large a file may be, how its
 * bytes become text, which of several candidates wins. No `vscode` here.
 */

/** The name an estate file is created with (import, sample). */
export const ESTATE_FILE_NAME = 'lync-estate.yaml';

/** What discovery and the watcher look for: `.yml` too (the language server checks both). */
export const ESTATE_DISCOVERY_GLOB = '**/lync-estate.{yaml,yml}';

/** Whether a path (forward slashes) names a file discovery would find. */
export const isDiscoverableEstatePath = (p: string): boolean => /(^|\/)lync-estate\.ya?ml$/.test(p);

/** The setting that names the estate file, relative to the workspace folder. */
export const ESTATE_SETTING = 'lyncRecovery.estate';

/** An estate of 500 pools is well under 1 MB; anything this large is not an estate. */
export const MAX_ESTATE_BYTES = 10 * 1024 * 1024;

/**
 * Text of a file saved by any Windows tool: UTF-16 (Windows PowerShell 5.1's `>` redirection
 * writes UTF-16 LE with a byte order mark) or UTF-8 with or without one.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // TextDecoder drops a UTF-8 byte order mark itself.
  return new TextDecoder('utf-8').decode(bytes);
}

/** "2.4 MB" — sizes in messages. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Of several estate files in one folder, the shallowest wins; ties go to the first by name (`.yaml` before `.yml`). */
export function preferredEstatePath(paths: readonly string[]): string | undefined {
  const depth = (p: string) => p.split('/').length;
  return [...paths].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** The setting's value as a path: forward slashes, and whether it is absolute (`/x`, `C:\x`, `\\server\share`). */
export function parseEstateSetting(value: string): { readonly path: string; readonly absolute: boolean } | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const absolute = /^([a-zA-Z]:)?[\\/]/.test(trimmed);
  return { path: absolute ? trimmed : trimmed.replace(/\\/g, '/'), absolute };
}

/**
 * The sample points the YAML extension at the schema by a path relative to the extension; a
 * copy in the workspace relies on the manifest's `yamlValidation` instead.
 */
export function withoutSchemaModeline(text: string): string {
  return text.replace(/^#\s*yaml-language-server:\s*\$schema=.*(\r?\n|$)/m, '');
}
