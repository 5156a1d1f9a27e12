#!/bin/sh
# Installs the Node.js release named in .node-version into .node/, from the npm registry (the
# node-<platform>-<arch> packages carry the binary and its C headers), and prints the two
# settings that put it to use:
#
#   eval "$(sh scripts/use-node.sh)"
#
# PATH puts that node first (npm runs on it too), and npm_config_nodedir makes native modules
# such as better-sqlite3 build against its headers instead of the system Node's. Run it again
# after .node-version changes; it installs only what is missing.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(tr -d ' \n\r' < "$root/.node-version")
package="node-$(node -p process.platform)-$(node -p process.arch)"
home="$root/.node/node_modules/$package"
if [ "$("$home/bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  npm install --prefix "$root/.node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@$version" >&2
fi
printf 'export PATH=%s/bin:"$PATH"\n' "$home"
printf 'export npm_config_nodedir=%s\n' "$home"
