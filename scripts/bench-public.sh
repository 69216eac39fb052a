#!/usr/bin/env bash
# The public site and open data under wrk -c64 (docs/performance.md, issue 24):
#   scripts/bench-public.sh target/release/styr 10
# Starts `styr serve --demo` on a new SQLite file, decides KS's budget, closes 2021-08, and runs
# wrk (2 threads, 64 connections) on /healthz (the peer: one `SELECT 1`) and on every kind of
# public page and open-data file as an anonymous visitor, one after the other, printing the load
# average beside each and a table (path, bytes, req/s, p99) at the end.
set -u
bin=$1; secs=${2:-10}
mkdir -p target/bench && dir=$(mktemp -d target/bench/pub.XXXX)
db=$dir/pub.db
STYR_LOG=warn $bin serve --demo --db $db --addr 127.0.0.1:0 > $dir/serve.out 2>$dir/serve.err &
pid=$!
for i in $(seq 1 120); do
  url=$(grep -o 'styr kör på http://[^ ]*' $dir/serve.out | sed 's/styr kör på //; s:/$::')
  [ -n "$url" ] && break; sleep 1
done
echo "server $pid at $url"
# Already decided or closed in a newer demo: a refusal here changes nothing.
$bin version decide --decision kf_2020_11_09_185 --db $db --organ ks >/dev/null 2>&1 || true
$bin period close 2021-08 --db $db --organ ks >/dev/null 2>&1 || true
paths="/healthz / /planen /planen/ks /rapporter /rapporter/ks/2021-08 /sammanfattning/2021 /malbarometer /jamforelse /tillganglighet /data/ /data/budget.csv /data/utfall.csv /data/indikatorer.json /data/fdp/ks/datapackage.json"
for path in $paths; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$path")
  [ "$code" = 200 ] || { echo "$path -> $code: not public here" >&2; kill $pid; exit 1; }
done
etag=$(curl -sI "$url/data/budget.csv" | grep -i '^etag' | cut -d' ' -f2 | tr -d '\r')
table=$dir/table
run() { # label, wrk arguments…
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local out; out=$(wrk -t2 -c64 -d${secs}s --latency "$@")
  local rate p99 bad
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "== $label  req/s $rate  p99 $p99  load $load ${bad:+ non-2xx $bad}"
  printf '| `%s` | %s | %s | %s | %s |\n' "$label" "$bytes" "$rate" "$p99" "$load" >> $table
}
for path in $paths; do
  bytes=$(curl -s "$url$path" | wc -c)
  run "$path" "$url$path"
done
bytes=0
run "/data/budget.csv, If-None-Match (304)" -H "If-None-Match: $etag" "$url/data/budget.csv"
echo
echo "| path | bytes | req/s | p99 | load average (1 min) |"
echo "|---|---:|---:|---:|---:|"
cat $table
kill $pid; wait $pid 2>/dev/null
rm -rf $dir
