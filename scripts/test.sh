#!/usr/bin/env bash
# `npm test` (the projen test task runs this; its arguments go to jest): the static checks (the
# type-check and eslint) run beside jest instead of before and after it, so that the cores jest leaves
# idle do them. Their output is kept and printed after jest's, so the outputs never interleave. Fails
# if any of the three fails; every check still runs to the end.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

# The static checks run at the lowest priority: while both jest workers are busy they get almost no CPU
# (sharing 2 cores three ways cost ~60 s more CPU in all: 197 -> 256 s), and they take the cores jest
# leaves idle, in its last files and after it. The two run side by side for the same reason.
tsc_log="$(mktemp "${TMPDIR:-/tmp}/npm-test-tsc-XXXXXX")"
eslint_log="$(mktemp "${TMPDIR:-/tmp}/npm-test-eslint-XXXXXX")"
trap 'rm -f "$tsc_log" "$eslint_log"' EXIT
# One program for both (test/tsconfig.static.json says how): checking them apart parsed and checked
# src/, its bindings and the libraries' types twice (39 -> 21 s CPU, the same 314 project files).
nice -n 19 tsc --noEmit -p test/tsconfig.static.json >"$tsc_log" 2>&1 &
tsc_pid=$!
nice -n 19 projen eslint >"$eslint_log" 2>&1 &
eslint_pid=$!

jest --passWithNoTests --ci "$@"
jest_rc=$?

wait "$tsc_pid"
tsc_rc=$?
wait "$eslint_pid"
eslint_rc=$?
echo "--- type-check the test suite and the Terraform package: tsc --noEmit -p test/tsconfig.static.json"
cat "$tsc_log"
echo "--- eslint (projen eslint)"
cat "$eslint_log"
if [ "$tsc_rc" -ne 0 ]; then echo "npm test: the type-check failed (exit code $tsc_rc; output above)"; fi
if [ "$eslint_rc" -ne 0 ]; then echo "npm test: eslint failed (exit code $eslint_rc; output above)"; fi
if [ "$jest_rc" -ne 0 ] || [ "$tsc_rc" -ne 0 ] || [ "$eslint_rc" -ne 0 ]; then exit 1; fi
