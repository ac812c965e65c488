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
