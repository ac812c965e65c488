// @ts-check
// A throw-away code-server (VS Code server + web workbench) on 127.0.0.1 for tests:
// auth none, no extension gallery, quiet deterministic settings, fresh user-data and extensions
// folders and a fresh copy of the workspace each time; started in its own process group and
// stopped by killing that group (its extension hosts and watchers included).
//
// The remote extension host inherits the server's environment: pass what tests must see in
// `env` here (the workbench URL payload's extensionEnvironment is ignored on the web).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { URLSearchParams } from 'node:url';
import { stopProcessGroups } from './processes.mjs';
import { codeServerLocation, INSTALL_HINT } from './tooling.mjs';

/**
 * Writes `languagepacks.json`, where VS Code's server looks up the translations of a `--locale`
 * (the desktop app writes it when a language pack is installed; the CLI install does not).
 * @param {string} userDataDir @param {string} extensionsDir
 */
function registerLanguagePacks(userDataDir, extensionsDir) {
  /** @type {Record<string, unknown>} */
  const packs = {};
  for (const dir of fs.readdirSync(extensionsDir)) {
    const manifestFile = path.join(extensionsDir, dir, 'package.json');
    if (!fs.existsSync(manifestFile)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const l of manifest.contributes?.localizations ?? []) {
      const main = l.translations?.find((/** @type {{ id: string }} */ t) => t.id === 'vscode');
      if (!main) continue;
      packs[l.languageId] = {
        hash: `${manifest.publisher}-${manifest.name}-${manifest.version}`,
        extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
        translations: { vscode: path.join(extensionsDir, dir, main.path) },
        label: l.localizedLanguageName ?? l.languageId,
      };
    }
  }
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs, null, 2));
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} [workspaceFrom]        folder copied as the workspace (default: an empty one)
 * @property {string[]} [installExtensions]  .vsix files installed into the fresh extensions folder
 * @property {Record<string, string>} [env]  added to the server's (and so the extension host's) environment
 * @property {Record<string, unknown>} [settings]  user settings on top of the quiet defaults
 * @property {boolean} [keep]                keep the temporary folders (logs, workspace) after stop
 * @property {boolean} [workspaceTrust]      enable workspace trust: the workspace opens untrusted, in
 *                                           Restricted Mode, with no prompt (default: trust disabled, so trusted)
 * @property {string} [locale]              VS Code's display language (`--locale`); its language pack must be installed
 * @property {number} [startTimeoutMs]
 */

/**
 * @typedef {object} CodeServer
 * @property {string} url            http://127.0.0.1:PORT
 * @property {string} authority      127.0.0.1:PORT, the authority of vscode-remote:// URIs
 * @property {string} workspace      the workspace folder (a copy)
 * @property {string} root           the temporary folder holding everything of this server
 * @property {string} userDataDir
 * @property {string} logFile        the server's stdout and stderr
 * @property {number} pgid           the server's process group
 * @property {(absPath: string) => string} remoteUri  a server-side path as a vscode-remote:// URI
 * @property {(payload?: [string, string][]) => string} workbenchUrl  the workbench on the workspace
 * @property {() => Promise<number[]>} stop  kills the process group; returns the pids it had to SIGKILL
 */

/** Settings that keep the workbench quiet and offline: no welcome page, telemetry, gallery or trust prompts. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * With `workspaceTrust`: trust on, and a fresh folder stays untrusted (Restricted Mode) — no
 * startup prompt to answer, no banner over the workbench.
 */
const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * Servers started and not stopped yet (process group → temporary folder). If this process exits
 * without stopping them (an uncaught error, process.exit in a signal handler), they are
 * SIGKILLed and their folders removed then: a detached server would otherwise outlive its run.
 * @type {Map<number, { root: string, keep: boolean }>}
 */
const liveServers = new Map();
process.on('exit', () => {
  for (const [pgid, { root, keep }] of liveServers) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  }
});

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {CodeServerOptions} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
  const { bin } = codeServerLocation();
  if (!fs.existsSync(bin)) throw new Error(`code-server not found at ${bin}; run ${INSTALL_HINT}`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-code-server-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, workspace, path.join(root, 'tmp')]) fs.mkdirSync(dir, { recursive: true });
  if (options.workspaceFrom) fs.cpSync(options.workspaceFrom, workspace, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...(options.workspaceTrust ? RESTRICTED_MODE_SETTINGS : {}), ...options.settings }, null, 2));

  const common = ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const env = {
    ...process.env,
    // code-server's own state (heartbeat, its logs), VS Code's device id, IPC sockets and temp
    // files stay in the throw-away folder too, not in the user's home or the shared /tmp.
    TMPDIR: path.join(root, 'tmp'),
    XDG_DATA_HOME: path.join(root, 'xdg', 'data'),
    XDG_CONFIG_HOME: path.join(root, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(root, 'xdg', 'cache'),
    // No extension gallery (Open VSX) => no outbound requests.
    EXTENSIONS_GALLERY: '{}',
    // Newer VS Code honours the URL payload's extensionDevelopmentPath/extensionTestsPath only
    // with the smoke-test driver enabled; 4.100.3 ignores it (kept for version bumps).
    VSCODE_OPTIONS: 'enable-smoke-test-driver',
    ...options.env,
  };
  for (const vsix of options.installExtensions ?? []) {
    execFileSync(bin, [...common, '--install-extension', path.resolve(vsix)], { env, stdio: 'inherit' });
  }
  if (options.locale) registerLanguagePacks(userDataDir, extensionsDir);

  const logFile = path.join(root, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const server = spawn(bin, [
    ...common,
    // Port 0: the kernel picks a free port; the server logs which one.
    '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(options.locale ? ['--locale', options.locale] : []),
    workspace,
  ], { detached: true, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  const pgid = /** @type {number} */ (server.pid);
  liveServers.set(pgid, { root, keep: !!options.keep });

  let stopped = false;
  const stop = async () => {
    if (stopped) return [];
    stopped = true;
    const killed = await stopProcessGroups([pgid]);
    liveServers.delete(pgid);
    if (!options.keep) fs.rmSync(root, { recursive: true, force: true });
    return killed;
  };

  try {
    const url = await waitUntilListening(server, logFile, options.startTimeoutMs ?? 60_000);
    const authority = new URL(url).host;
    /** @param {string} absPath */
    const remoteUri = (absPath) => `vscode-remote://${authority}${path.resolve(absPath)}`;
    return {
      url, authority, workspace, root, userDataDir, logFile, pgid, remoteUri, stop,
      workbenchUrl: (payload) => {
        const query = new URLSearchParams({ folder: workspace });
        if (payload) query.set('payload', JSON.stringify(payload));
        return `${url}/?${query}`;
      },
    };
  } catch (e) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}\ncode-server log:\n${tail}`);
  }
}

/**
 * Waits for "HTTP server listening on http://127.0.0.1:PORT/" in the log, then for /healthz.
 * @param {import('node:child_process').ChildProcess} server
 * @param {string} logFile
 * @param {number} timeoutMs
 */
async function waitUntilListening(server, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  /** @type {string | undefined} */
  let url;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error('code-server exited while starting');
    if (Date.now() > deadline) throw new Error(`code-server did not answer within ${timeoutMs} ms`);
    if (!url) {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
      url = m?.[1];
    }
    if (url) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return url;
      } catch {
        // not answering yet
      }
    }
    await delay(100);
  }
}

/**
 * Runs fn against a fresh code-server and always stops the server afterwards.
 * @template T
 * @param {CodeServerOptions} options
 * @param {(server: CodeServer) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withCodeServer(options, fn) {
  const server = await startCodeServer(options);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
