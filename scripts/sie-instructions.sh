#!/usr/bin/env bash
# Counts the instructions the SIE reader spends on a 30 MB slice of the bench ledger, the
# way `styr sie balances` reads it (the library's `balances` example, on one thread), with
# cachegrind. Unlike the wall clock of this machine, which varies by a tenth from minute to
# minute, the count is the same run after run, so a change of a few per cent shows.
#
#   scripts/sie-instructions.sh [LEDGER.se] [BINARY]
#
# LEDGER defaults to the bench ledger `cargo xtask bench` generates
# (target/bench/ledger-10000000.se); BINARY to the example built here.
set -euo pipefail
cd "$(dirname "$0")/.."
ledger=${1:-target/bench/ledger-10000000.se}
binary=${2:-}
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
[ -f "$ledger" ] || { echo "no ledger $ledger: run cargo xtask bench first" >&2; exit 1; }
if [ -z "$binary" ]; then
  cargo build --release -q -p styr-sie --example balances
  binary=target/release/examples/balances
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The header's records about the chart (not its budget and balance lines, a larger share of a
# slice than of the file), then 30 MB of vouchers from the file's middle.
header_end=$(grep -a -n -m1 '^#VER' "$ledger" | cut -d: -f1)
head -n "$((header_end - 1))" "$ledger" | grep -a -v '^#\(PBUDGET\|PSALDO\|IB\|UB\|RES\|OIB\|OUB\)' >"$work/slice.se"
middle=$(($(wc -l <"$ledger") / 2))
from=$(awk -v m="$middle" 'NR >= m && /^#VER/ { print NR; exit }' "$ledger")
# (`tail` stops on a closed pipe once `head` has its 30 MB.)
{ tail -n +"$from" "$ledger" || true; } | head -c 30000000 >>"$work/slice.se"
rows=$(grep -a -c '#TRANS' "$work/slice.se")
refs=$(taskset -c 0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/cg.out" \
  "$binary" "$work/slice.se" 2>&1 >/dev/null | awk '/I *refs/ { gsub(",", "", $4); print $4 }')
echo "instructions: $refs for $rows rows ($((refs / rows)) a row) with $binary"
