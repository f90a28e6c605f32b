#!/usr/bin/env bash
# `npm test` (the projen test task runs this; its arguments go to jest): the static checks (the
# type-check, then eslint) run beside jest instead of before and after it. Each static check is one
# single-threaded process, so on 2 cores running them one after the other around jest left a core idle
# for about half of `npm test`. Their output is kept and printed after jest's, so the two never
# interleave. Fails if either side fails; every check still runs to the end.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

static_log="$(mktemp "${TMPDIR:-/tmp}/npm-test-static-XXXXXX")"
trap 'rm -f "$static_log"' EXIT
(
  set -e
  # One program for both (test/tsconfig.static.json says how): checking them apart parsed and checked
  # src/, its bindings and the libraries' types twice (39 -> 21 s CPU, the same 314 project files).
  echo "--- type-check the test suite and the Terraform package: tsc --noEmit -p test/tsconfig.static.json"
  tsc --noEmit -p test/tsconfig.static.json
  echo "--- eslint (projen eslint)"
  projen eslint
) >"$static_log" 2>&1 &
static_pid=$!

jest --passWithNoTests --ci "$@"
jest_rc=$?

wait "$static_pid"
static_rc=$?
cat "$static_log"
if [ "$static_rc" -ne 0 ]; then echo "npm test: the type-checks or eslint failed (exit code $static_rc; output above)"; fi
if [ "$jest_rc" -ne 0 ] || [ "$static_rc" -ne 0 ]; then exit 1; fi
