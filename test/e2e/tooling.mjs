// @ts-check
// Where the real-VS-Code test tools live on this machine, from the environment with defaults
// shared with scripts/install-code-server.sh:
//   LYNC_CODE_SERVER_VERSION  4.100.3 (VS Code 1.100.3)
//   LYNC_CODE_SERVER_PREFIX   $HOME/.cache/lync-recovery/code-server-<version>
//   LYNC_CODE_SERVER_BIN      <prefix>/bin/code-server
//   LYNC_CHROMIUM             the first of chromium / chromium-browser on PATH (Debian: /usr/bin/chromium)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const INSTALL_HINT = 'bash scripts/install-code-server.sh';

/** @returns {{ version: string, prefix: string, bin: string }} */
export function codeServerLocation() {
  const version = process.env.LYNC_CODE_SERVER_VERSION || '4.100.3';
  const prefix = process.env.LYNC_CODE_SERVER_PREFIX
    || path.join(os.homedir(), '.cache', 'lync-recovery', `code-server-${version}`);
  const bin = process.env.LYNC_CODE_SERVER_BIN || path.join(prefix, 'bin', 'code-server');
  return { version, prefix, bin };
}

/** @param {string} file */
const isExecutable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** @param {string} name @returns {string | undefined} */
const onPath = (name) => (process.env.PATH ?? '').split(path.delimiter)
  .filter(Boolean)
  .map((dir) => path.join(dir, name))
  .find(isExecutable);

/** @returns {string | undefined} the Chromium executable, if there is one */
export function chromiumPath() {
  const configured = process.env.LYNC_CHROMIUM;
  if (configured) return isExecutable(configured) ? configured : undefined;
  return onPath('chromium') ?? onPath('chromium-browser');
}

/**
 * What the code-server tests need and is missing here; empty when they can run.
 * @returns {string[]}
 */
export function missingTools() {
  const missing = [];
  const { bin } = codeServerLocation();
  if (!isExecutable(bin)) missing.push(`code-server (${bin})`);
  if (!chromiumPath()) missing.push(`chromium (${process.env.LYNC_CHROMIUM || 'not on PATH'})`);
  return missing;
}
