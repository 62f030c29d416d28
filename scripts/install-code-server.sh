#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) for the end-to-end tests, following
# ../shared/research/e2e-code-server.md: its own postinstall fails here (it downloads ripgrep from GitHub
# and needs --unsafe-perm), so its steps are done by hand. Cached under .cache/ (git-ignored); a second run
# is a no-op. Needs root for apt (CI and the dev machines run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.100.3
DEST="${CODE_SERVER_DIR:-$PWD/.cache/code-server-$VERSION}"

if [ -f "$DEST/out/node/entry.js" ] && [ -f "$DEST/.install-complete" ]; then
	echo "code-server $VERSION already installed in $DEST"
	exit 0
fi

need=()
for p in chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "apt: installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
npm pack "code-server@$VERSION" --silent >/dev/null
tar xzf "code-server-$VERSION.tgz" --strip-components=1
rm -f "code-server-$VERSION.tgz"
cd lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty --loglevel=error
ln -sfn node_modules node_modules.asar
(cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
cd ../..
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
npm rebuild argon2 --loglevel=error
touch .install-complete
echo "code-server $VERSION installed in $DEST"
