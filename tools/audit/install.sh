#!/usr/bin/env bash
# Installs what the browser audits need: Debian's chromium (with apt-get, only when it is missing
# and we are root) and the npm packages pinned in package-lock.json (vnu-jar, axe-core,
# puppeteer-core, lighthouse), with --ignore-scripts since nothing may be downloaded at install.
# Run by `make audit-tools` and by tests/test_audit.py; quick when everything is in place.
# Exit status: 0 ready; 3 cannot be installed on this machine (why, on stderr: the audit tests
# skip with that message); anything else is a failed install.
set -euo pipefail
cd "$(dirname "$0")"

cannot() {
  echo "audit tools skipped: $*" >&2
  exit 3
}

for tool in node npm java; do
  command -v "$tool" >/dev/null || cannot "'$tool' is not installed (the audits need Node 20+, npm and Java 17+)"
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  cannot "Node $(node --version) is too old (lighthouse 12 needs Node 20+)"

if [ -n "${CHROME_PATH:-}" ]; then
  [ -x "$CHROME_PATH" ] || cannot "CHROME_PATH=$CHROME_PATH is not an executable"
elif [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" -eq 0 ] || cannot "/usr/bin/chromium is missing and we are not root to apt-get install Debian's chromium (install it, or set CHROME_PATH)"
  command -v apt-get >/dev/null || cannot "/usr/bin/chromium is missing and there is no apt-get to install Debian's chromium"
  echo "audit tools: installing Debian's chromium (and fonts for its pages) with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation fonts-dejavu-core >/dev/null
fi

stamp=node_modules/.scholarpages-lock
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "audit tools: npm ci (pinned in tools/audit/package-lock.json)" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || { echo "audit tools: vnu.jar missing after npm ci" >&2; exit 1; }
