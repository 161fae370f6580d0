#!/usr/bin/env bash
# Build-time benchmark: glossator against Hugo and against a pulldown-cmark floor.
#
#   benches/run.sh [PARTS...]          (default: 1000 10000)
#
# Environment:
#   BENCH_DIR        where corpora, outputs and results go (default /tmp/glossator-bench)
#   OUT_DIR          where the tools write their sites instead, for all of them
#                    alike: a tmpfs such as /dev/shm/glossator-out leaves the
#                    kernel's file-creation costs on disk out of the comparison
#   RUNS, WARMUP     hyperfine runs and warm-up runs per command (default 5 and 1)
#   SEED             corpus seed (default 42)
#   SETTLE           seconds to wait after deleting outputs on disk (default 31)
#   CARGO_TARGET_DIR as for cargo (default: target/ in the repository)
#
# Installs hyperfine, hugo and GNU time with apt-get when missing, builds the
# release binaries, generates for each size a plain, an annotated and a Hugo
# corpus with examples/gen_corpus.rs, checks that the annotated corpus builds
# with `glossator build --strict`, then times every tool with hyperfine
# (each command wrapped in /usr/bin/time for CPU time and peak RSS) and prints
# a Markdown table, also written to $BENCH_DIR/results.md. See benches/README.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/glossator-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SEED=${SEED:-42}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

log() { printf '\n==> %s\n' "$*" >&2; }

# On ext4 without a journal (as on the benchmark machine), creating files
# right after deleting many makes the kernel skip every inode deleted in the
# last 30 s (vm.dirty_expire_centisecs) on each allocation, which costs more
# than rendering. So outputs are never deleted between runs: the prepare step
# moves the previous output into a trash folder, emptied once a size is done,
# and timed runs start at least 30 s after the last deletion.
# Not needed when the outputs are on tmpfs.
settle() {
    [ "$(fstype "$O")" != tmpfs ] || return 0
    sync
    sleep "${SETTLE:-31}"
}

# --- tools -------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

log "building release binaries"
(cd "$REPO" && cargo build --release --bin glossator --example gen_corpus --example md_floor)
GLOSSATOR=$TARGET/release/glossator
GEN=$TARGET/release/examples/gen_corpus
FLOOR=$TARGET/release/examples/md_floor

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
OUT_ROOT=${OUT_DIR:-$BENCH_DIR}
mkdir -p "$OUT_ROOT"
OUT_ROOT=$(cd "$OUT_ROOT" && pwd)
fstype() { df --output=fstype "$1" | tail -1 | tr -d ' '; }
device() { df --output=source "$1" | tail -1 | tr -d ' '; }

{
    echo "# glossator build benchmark"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- disk: corpora in $BENCH_DIR ($(device "$BENCH_DIR"), $(fstype "$BENCH_DIR")); every tool's output in $OUT_ROOT ($(device "$OUT_ROOT"), $(fstype "$OUT_ROOT"))"
    echo "- glossator $(cd "$REPO" && git rev-parse --short HEAD), $(hugo version | cut -d' ' -f1-2), $(hyperfine --version)"
    echo "- hyperfine --warmup $WARMUP --runs $RUNS; wall and CPU are medians over the runs, RSS the largest"
    echo
} > "$BENCH_DIR/results.md"

for N in "${SIZES[@]}"; do
    D=$BENCH_DIR/$N
    O=$OUT_ROOT/$N/out
    log "corpus of $N parts in $D"
    rm -rf "$O" "$D/results"
    mkdir -p "$O" "$D/results"
    TRASH=$O/trash
    mkdir -p "$TRASH"
    # On tmpfs deleting costs nothing later, and kept copies would fill memory.
    if [ "$(fstype "$O")" = tmpfs ]; then
        clear_out() { echo "rm -rf $1"; }
    else
        clear_out() { echo "bash -c '[ ! -e $1 ] || mv $1 $TRASH/\$(date +%s%N)'"; }
    fi
    "$GEN" --parts "$N" --seed "$SEED" --plain --out "$D/plain" --hugo "$D/hugo"
    "$GEN" --parts "$N" --seed "$SEED" --out "$D/annotated"
    # The plain text again, with one image per ten parts to size, check and copy.
    "$GEN" --parts "$N" --seed "$SEED" --plain --images --out "$D/images"

    log "checking the annotated corpus with --strict"
    rm -rf "$O/strict"
    "$GLOSSATOR" build --strict --root "$D/annotated" --out "$O/strict"
    mv "$O/strict" "$TRASH/strict"
    settle

    declare -A CMD=(
        [hugo]="hugo --source $D/hugo --destination $O/hugo --quiet"
        [glossator-plain]="$GLOSSATOR build --root $D/plain --out $O/glossator-plain"
        [glossator-annotated]="$GLOSSATOR build --root $D/annotated --out $O/glossator-annotated"
        [glossator-images]="$GLOSSATOR build --root $D/images --out $O/glossator-images"
        [floor-plain]="$FLOOR $D/plain/content $O/floor-plain"
        [floor-annotated]="$FLOOR $D/annotated/content $O/floor-annotated"
    )
    for name in hugo glossator-plain glossator-annotated glossator-images floor-plain floor-annotated; do
        log "$N parts: $name"
        out=$O/$name
        : > "$D/results/$name.time"
        cut -d' ' -f1-3 /proc/loadavg > "$D/results/$name.load"
        hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
            --prepare "$(clear_out "$out")" \
            --export-json "$D/results/$name.json" \
            -n "$name" \
            "/usr/bin/time -a -o $D/results/$name.time -f '%e %U %S %M' ${CMD[$name]}"
        if [ -d "$out" ]; then find "$out" -name '*.html' | wc -l; else echo 0; fi > "$D/results/$name.pages"
    done
    unset CMD
    rm -rf "$TRASH"
done

python3 "$REPO/benches/summarize.py" "$BENCH_DIR" "$WARMUP" "${SIZES[@]}" >> "$BENCH_DIR/results.md"
log "results ($BENCH_DIR/results.md)"
cat "$BENCH_DIR/results.md"
