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

# The targets are the files of fuzz_targets/; cargo-fuzz must list the same
# ones, so a failing or empty `cargo fuzz list` cannot skip them all.
expected=$(cd fuzz_targets && ls -- *.rs | sed 's/\.rs$//' | sort)
listed=$(cargo fuzz list | sort)
if [ -z "$expected" ] || [ "$expected" != "$listed" ]; then
    echo "fuzz targets in fuzz_targets/: $(echo $expected); cargo fuzz list: $(echo $listed)" >&2
    exit 1
fi

status=0
ran=0
for target in $expected; do
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
        continue
    fi
    # libFuzzer ends a run with `Done N runs in S second(s)`: without it, or
    # with no run, the target did not really fuzz.
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$scratch/$target.log" | tail -n 1)
    if [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
        tail -n 40 "$scratch/$target.log"
        echo "fuzz $target: no executions reported" >&2
        status=1
        continue
    fi
    echo "fuzz $target: $runs executions"
    ran=$((ran + 1))
done
total=$(echo "$expected" | wc -l)
echo "fuzzed $ran of $total targets"
[ "$ran" -eq "$total" ] || status=1
exit "$status"
