#!/usr/bin/env bash
# Runs every fuzz target in the module, one after the other.
#   scripts/fuzz.sh          # 60s each (the acceptance run)
#   scripts/fuzz.sh 2s       # a few seconds each (what CI runs)
#   FUZZ_PARALLEL=1 scripts/fuzz.sh   # one fuzzing worker, to leave a core free
# A failure stops the script; Go writes the failing input under the
# package's testdata/fuzz/FuzzName/, to commit as a regression seed once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-60s}
# Minimising each new interesting input may take up to a minute by default,
# long past a short -fuzztime (go test then fails with "context deadline
# exceeded"); a bounded number of runs keeps short runs honest. A crasher is
# still minimised within the bound.
minimize=${FUZZ_MINIMIZE:-500x}
total=0
start=$(date +%s)
# Fuzz targets are found by name in the test files: no test binary is built
# for packages without any.
for dir in $(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u); do
  pkg="./$dir"
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | sort -u)
  for f in $targets; do
    t0=$(date +%s)
    out=$(go test -run '^$' -fuzz "^${f}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" ${FUZZ_PARALLEL:+-parallel "$FUZZ_PARALLEL"} "$pkg" 2>&1) || { echo "$out"; echo "FAIL $pkg $f"; exit 1; }
    execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -1 | grep -o '[0-9]*' || echo "?")
    printf 'ok   %-45s %-32s %4ss  %s execs\n' "$dir" "$f" "$(( $(date +%s) - t0 ))" "$execs"
    total=$((total + 1))
  done
done
echo "fuzz: $total targets clean, $(( $(date +%s) - start ))s in all"
