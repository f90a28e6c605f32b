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
# leaves idle, in its last files and after it. There they are two chains, one per core: eslint on src/
# and test/; the type-check, then eslint on the task's other folders (one eslint over everything was the
# critical path after jest: 31 s, against 17 and 11 + 9 s).
tsc_log="$(mktemp "${TMPDIR:-/tmp}/npm-test-tsc-XXXXXX")"
eslint_log="$(mktemp "${TMPDIR:-/tmp}/npm-test-eslint-XXXXXX")"
trap 'rm -f "$tsc_log" "$eslint_log"' EXIT

# projen's eslint task (.projen/tasks.json): its environment and command with options (for `env`), and its folders.
task_field() { node -p "const t = require('./.projen/tasks.json').tasks.eslint, a = t.steps[0].execArgs; $1"; }
mapfile -t eslint_cmd < <(task_field '[...Object.entries(t.env ?? {}).map(([k, v]) => `${k}=${v}`), ...a.slice(0, a.indexOf("$@"))].join("\n")')
mapfile -t eslint_folders < <(task_field 'a.slice(a.indexOf("$@") + 1).join("\n")')
eslint_rest=()
for f in "${eslint_folders[@]}"; do [ "$f" = src ] || [ "$f" = test ] || eslint_rest+=("$f"); done

nice -n 19 env "${eslint_cmd[@]}" src test >"$eslint_log" 2>&1 &
eslint_pid=$!
(
  set -e
  echo "--- type-check the test suite and the Terraform package: tsc --noEmit -p test/tsconfig.static.json"
  # One program for both (test/tsconfig.static.json says how): checking them apart parsed and checked
  # src/, its bindings and the libraries' types twice (39 -> 21 s CPU, the same 314 project files).
  nice -n 19 tsc --noEmit -p test/tsconfig.static.json
  echo "--- eslint on ${eslint_rest[*]}"
  nice -n 19 env "${eslint_cmd[@]}" "${eslint_rest[@]}"
) >"$tsc_log" 2>&1 &
tsc_pid=$!

jest --passWithNoTests --ci "$@"
jest_rc=$?

wait "$tsc_pid"
tsc_rc=$?
wait "$eslint_pid"
eslint_rc=$?
cat "$tsc_log"
echo "--- eslint on src test"
cat "$eslint_log"
if [ "$tsc_rc" -ne 0 ]; then echo "npm test: the type-check or eslint on ${eslint_rest[*]} failed (exit code $tsc_rc; output above)"; fi
if [ "$eslint_rc" -ne 0 ]; then echo "npm test: eslint on src and test failed (exit code $eslint_rc; output above)"; fi
if [ "$jest_rc" -ne 0 ] || [ "$tsc_rc" -ne 0 ] || [ "$eslint_rc" -ne 0 ]; then exit 1; fi
