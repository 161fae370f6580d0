#!/usr/bin/env bash
# Latency and memory of `glossator lsp`: the bundled edition and a generated
# edition of 1,000 parts (or the sizes given).
#
#   benches/lsp_latency.sh            # bundled edition and 1,000 parts
#   benches/lsp_latency.sh 1000 10000
#   RUNS=41 BENCH_DIR=/somewhere benches/lsp_latency.sh
#
# Each measurement starts the real server on pipes, opens one part and times
# completion, hover and the diagnostics after a one-character edit
# (examples/lsp_latency.rs). The editions are copies; the editor's text is
# never saved, so nothing on disk changes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000); fi
runs="${RUNS:-21}"
bench_dir="${BENCH_DIR:-/tmp/glossator-bench}/lsp"
mkdir -p "$bench_dir"

cargo build --release --bin glossator --example lsp_latency --example gen_corpus
target="${CARGO_TARGET_DIR:-target}/release"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== bundled edition"
rm -rf "$bench_dir/bundled"
mkdir -p "$bench_dir/bundled"
cp -r content "$bench_dir/bundled/content"
"$target/examples/lsp_latency" --root "$bench_dir/bundled" --runs "$runs"

for n in "${sizes[@]}"; do
    echo "== generated edition, $n parts"
    if [ ! -f "$bench_dir/$n/content/_index.md" ]; then
        "$target/examples/gen_corpus" --parts "$n" --out "$bench_dir/$n"
    fi
    "$target/examples/lsp_latency" --root "$bench_dir/$n" --runs "$runs"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
