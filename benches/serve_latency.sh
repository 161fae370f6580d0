#!/usr/bin/env bash
# Save-to-written latency of `glossator serve`: the bundled edition and
# generated editions of 1,000 and 10,000 parts (or the sizes given).
#
#   benches/serve_latency.sh            # bundled edition, 1,000 and 10,000 parts
#   benches/serve_latency.sh 10000
#   RUNS=21 BENCH_DIR=/somewhere benches/serve_latency.sh
#
# Each measurement starts the real server, changes one word in one part per
# run, and times the save until the rebuilt page holds the new word in the
# server's site folder (examples/serve_latency.rs). The editions are copies:
# the repository's content is never edited.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
runs="${RUNS:-11}"
bench_dir="${BENCH_DIR:-/tmp/glossator-bench}/serve"
mkdir -p "$bench_dir"

cargo build --release --bin glossator --example serve_latency --example gen_corpus
target="${CARGO_TARGET_DIR:-target}/release"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== bundled edition"
rm -rf "$bench_dir/bundled"
mkdir -p "$bench_dir/bundled"
cp -r content "$bench_dir/bundled/content"
GLOSSATOR_SERVE_TIMINGS=1 "$target/examples/serve_latency" --root "$bench_dir/bundled" --runs "$runs"

for n in "${sizes[@]}"; do
    echo "== generated edition, $n parts"
    if [ ! -f "$bench_dir/$n/content/_index.md" ]; then
        "$target/examples/gen_corpus" --parts "$n" --out "$bench_dir/$n"
    fi
    GLOSSATOR_SERVE_TIMINGS=1 "$target/examples/serve_latency" --root "$bench_dir/$n" --runs "$runs"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
