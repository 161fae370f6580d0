#!/usr/bin/env bash
# Runs every fuzz target for a short while, starting from the replayed
# regression inputs. A crash is copied into the regression corpus (so the
# ordinary test suite replays it from then on) and fails the run.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]      (default 60)
#
# cargo-fuzz needs the nightly-only sanitizer flags; RUSTC_BOOTSTRAP lets the
# stable toolchain accept them, so no second toolchain is needed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export RUSTC_BOOTSTRAP=1
target_dir="${FUZZ_TARGET_DIR:-target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version 0.13.1
fi

regressions=../tests/fixtures/fuzz-regressions
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

status=0
for target in $(cargo fuzz list); do
    echo "-- fuzz $target for ${seconds}s"
    mkdir -p "$scratch/$target" "artifacts/$target"
    # New inputs go to the scratch corpus (the first folder); the regression
    # inputs are only read.
    if ! cargo fuzz run "$target" --target-dir "$target_dir" -O \
        "$scratch/$target" "$regressions/$target" \
        -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        2>"$scratch/$target.log"; then
        tail -n 40 "$scratch/$target.log"
        for crash in artifacts/"$target"/*; do
            [ -f "$crash" ] || continue
            cp "$crash" "$regressions/$target/"
            echo "saved $crash as $regressions/$target/$(basename "$crash"): commit it with the fix"
        done
        status=1
    else
        grep -E '^Done [0-9]+ runs' "$scratch/$target.log" || true
    fi
done
exit "$status"
