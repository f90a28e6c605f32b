#!/usr/bin/env bash
# The consumer path, as a user walks it: install the packed library (dist-pkg/js/*.tgz, built by
# `npx projen package:js`) and its peers into a throwaway cdk8s app OUTSIDE the repository, type-check
# the app against the package's .d.ts, synthesize it with the command its cdk8s.yaml names, run its
# test, and check the output. The app's files are test-consumer/ (the README shows them).
# Needs the npm registry or a warm npm cache (--prefer-offline). Prints its time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }
fail() { echo "consumer test FAILED: $*"; exit 1; }

shopt -s nullglob
tarballs=("$repo"/dist-pkg/js/*.tgz)
[ ${#tarballs[@]} -eq 1 ] || fail "expected one tarball in dist-pkg/js/, found ${#tarballs[@]}. Fix: run 'npx projen compile && npx projen package:js' first"
app="$(mktemp -d "${TMPDIR:-/tmp}/openchoreo-consumer-XXXXXX")"
case "$app" in "$repo"/*) fail "the throwaway app must live outside the repository ($app)";; esac
trap 'rm -rf "$app"' EXIT
cp "$repo"/test-consumer/{platform.ts,main.ts,platform.test.ts,cdk8s.yaml,tsconfig.json} "$app"/

# Peers at the versions the package declares; @types/node and the compilers as a fresh cdk8s app has them
# (TypeScript and ts-node are taken from the repository instead of being installed again).
peers=$(node -p "Object.entries(require('$repo/package.json').peerDependencies).map(([n, v]) => n + '@' + v).join(' ')")
types_node=$(node -p "require('$repo/node_modules/@types/node/package.json').version")
cd "$app"
echo '{ "name": "consumer-app", "version": "0.0.0", "private": true }' > package.json
echo "--- npm install ${tarballs[0]##*/} $peers @types/node@$types_node (in $app)"
# shellcheck disable=SC2086
npm install --prefer-offline --no-audit --no-fund --loglevel=error "${tarballs[0]}" $peers "@types/node@$types_node" \
  || fail "npm install"
echo "    $(elapsed)"
[ ! -e node_modules/cdk8s-openchoreo/src ] || fail "the package ships its TypeScript sources"
[ -f node_modules/cdk8s-openchoreo/lib/index.d.ts ] || fail "the package has no lib/index.d.ts"

echo "--- tsc --noEmit (the app against the package's .d.ts)"
node "$repo/node_modules/typescript/bin/tsc" --noEmit -p . || fail "the app does not type-check"
echo "    $(elapsed)"

app_command=$(sed -n 's/^app: //p' cdk8s.yaml)
[ "$app_command" = "npx ts-node --transpile-only main.ts" ] || fail "cdk8s.yaml runs '$app_command'; this script runs 'ts-node --transpile-only main.ts'"
echo "--- synth: $app_command"
node "$repo/node_modules/ts-node/dist/bin.js" --transpile-only main.ts || fail "synth"
echo "    $(elapsed)"

echo "--- node --test platform.test.ts"
node --require "$repo/node_modules/ts-node/register/transpile-only" --test platform.test.ts || fail "the app's test"
echo "    $(elapsed)"

echo "--- check dist/"
REPO="$repo" node -e '
  const fs = require("fs");
  const { parseAllDocuments } = require(process.env.REPO + "/node_modules/yaml");
  const must = (ok, what) => { if (!ok) { console.error("consumer test FAILED: " + what); process.exit(1); } };
  for (const env of ["development", "production"]) {
    for (const file of ["namespace.yaml", "network-baseline.yaml", "api.yaml", "web.yaml", "kustomization.yaml"]) {
      must(fs.existsSync(`dist/acme/eu-west/${env}/shop/${file}`), `dist/acme/eu-west/${env}/shop/${file} is missing`);
    }
  }
  const objects = parseAllDocuments(fs.readFileSync("dist/acme/eu-west/production/shop/web.yaml", "utf8")).map(d => d.toJS());
  const web = objects.find(o => o.kind === "Deployment");
  must(web && /^web-production-[0-9a-f]{8}$/.test(web.metadata.name), "no Deployment web-production-<hash8> in production/shop/web.yaml");
  const labels = web.metadata.labels;
  must(labels["openchoreo.dev/component"] === "web" && labels["openchoreo.dev/project"] === "shop"
    && labels["openchoreo.dev/environment"] === "production" && labels["openchoreo.dev/namespace"] === "acme",
    "the web Deployment lacks its openchoreo.dev labels: " + JSON.stringify(labels));
  must(/^dp-acme-shop-production-[0-9a-f]{8}$/.test(web.metadata.namespace), "the web Deployment is not in the shop production cell");
  console.log(`    ${web.metadata.namespace}/${web.metadata.name}: ${objects.length} objects in web.yaml`);
' || exit 1
echo "consumer test passed in $(elapsed)"
