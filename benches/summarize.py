#!/usr/bin/env python3
"""Turn the results of benches/run.sh into a Markdown table.

usage: summarize.py BENCH_DIR WARMUP PARTS...

Reads BENCH_DIR/PARTS/results/NAME.{json,time,pages} for each tool: the
hyperfine JSON (wall times), the /usr/bin/time lines "%e %U %S %M" appended
by every run, warm-up runs first (CPU seconds and peak RSS in KiB), and the
number of HTML pages written.
"""

import json
import statistics
import sys
from pathlib import Path

TOOLS = [
    ("hugo", "Hugo (plain)"),
    ("glossator-plain", "glossator plain"),
    ("glossator-annotated", "glossator annotated"),
    ("glossator-images", "glossator plain, 1 image / 10 parts"),
    ("floor-plain", "floor plain"),
    ("floor-annotated", "floor annotated"),
]
FLOOR_OF = {
    "glossator-plain": "floor-plain",
    "glossator-annotated": "floor-annotated",
    "glossator-images": "floor-plain",
    "hugo": "floor-plain",
}


def load(d: Path, name: str, warmup: int):
    res = d / "results"
    j = json.loads((res / f"{name}.json").read_text())["results"][0]
    lines = [l.split() for l in (res / f"{name}.time").read_text().splitlines() if l.strip()]
    runs = lines[warmup:] or lines
    cpu = [float(u) + float(s) for _, u, s, _ in runs]
    user = [float(u) for _, u, _, _ in runs]
    rss_kib = max(int(m) for *_, m in runs)
    pages = int((res / f"{name}.pages").read_text().strip() or 0)
    load_file = res / f"{name}.load"
    load = load_file.read_text().split()[0] if load_file.exists() else "?"
    return {
        "wall": j["median"],
        "cpu": statistics.median(cpu),
        "user": statistics.median(user),
        "rss": rss_kib * 1024,
        "pages": pages,
        "load": load,
    }


def main():
    bench_dir = Path(sys.argv[1])
    warmup = int(sys.argv[2])
    sizes = [int(s) for s in sys.argv[3:]]
    print("| parts | tool | pages | wall (median) | CPU user+sys (median) | user (median) | peak RSS | RSS per part | pages/s "
          "| Hugo wall ÷ wall | Hugo CPU ÷ CPU | Hugo user ÷ user | wall ÷ floor wall | load before |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        d = bench_dir / str(n)
        r = {name: load(d, name, warmup) for name, _ in TOOLS}
        hugo = r["hugo"]
        for name, label in TOOLS:
            x = r[name]
            vs_hugo = f"{hugo['wall'] / x['wall']:.2f}×"
            vs_hugo_cpu = f"{hugo['cpu'] / x['cpu']:.2f}×" if x["cpu"] > 0 else "–"
            vs_hugo_user = f"{hugo['user'] / x['user']:.2f}×" if x["user"] > 0 else "–"
            floor = FLOOR_OF.get(name)
            vs_floor = f"{x['wall'] / r[floor]['wall']:.2f}×" if floor else "1×"
            print(
                f"| {n:,} | {label} | {x['pages']:,} | {x['wall']:.3f} s | {x['cpu']:.2f} s | {x['user']:.2f} s "
                f"| {x['rss'] / 2**20:.1f} MiB | {x['rss'] / n / 1024:.1f} KiB | {x['pages'] / x['wall']:,.0f} "
                f"| {vs_hugo} | {vs_hugo_cpu} | {vs_hugo_user} | {vs_floor} | {x['load']} |"
            )


if __name__ == "__main__":
    main()
