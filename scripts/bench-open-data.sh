#!/usr/bin/env bash
# Open data and the comparison under wrk -c64 (docs/performance.md, issue 24):
#   scripts/bench-open-data.sh target/release/styr 15
# Starts `styr serve --demo` on a new SQLite file, decides KS's budget, closes 2021-08, and runs
# wrk on /healthz (the peer) and the open-data paths, printing the load average beside each.
set -u
bin=$1; secs=${2:-15}
mkdir -p target/bench && dir=$(mktemp -d target/bench/od.XXXX)
db=$dir/od.db
STYR_LOG=warn $bin serve --demo --db $db --addr 127.0.0.1:0 > $dir/serve.out 2>$dir/serve.err &
pid=$!
for i in $(seq 1 120); do
  url=$(grep -o 'styr kör på http://[^ ]*' $dir/serve.out | sed 's/styr kör på //; s:/$::')
  [ -n "$url" ] && break; sleep 1
done
echo "server $pid at $url"
$bin version decide --decision kf_2020_11_09_185 --db $db --organ ks >/dev/null
$bin period close 2021-08 --db $db --organ ks >/dev/null
for path in /data/budget.csv /data/utfall.csv /data/indikatorer.json /data/fdp/ks/datapackage.json /data/ /jamforelse; do
  code=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$url$path"); echo "$path -> $code"
done
etag=$(curl -sI "$url/data/budget.csv" | grep -i '^etag' | cut -d' ' -f2 | tr -d '\r')
for path in /healthz /data/budget.csv /data/utfall.csv /data/ /jamforelse; do
  echo "== $path  (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c64 -d${secs}s --latency "$url$path" | grep -E "Requests/sec|99%|Non-2xx|Socket errors|Latency  "
done
echo "== /data/budget.csv with If-None-Match (304)  (load: $(cut -d' ' -f1-3 /proc/loadavg))"
wrk -t2 -c64 -d${secs}s --latency -H "If-None-Match: $etag" "$url/data/budget.csv" | grep -E "Requests/sec|99%|Non-2xx|Socket errors|Latency  "
kill $pid; wait $pid 2>/dev/null
rm -rf $dir
