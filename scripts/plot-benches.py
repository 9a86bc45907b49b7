#!/usr/bin/env python3
"""Turn a criterion run of the net bench into SVG bar charts and a markdown table.

Reads target/criterion/<group>/<impl>/new/{estimates,benchmark}.json, writes
docs/bench-plots/<group>.svg (one bar per implementation: the median with its 95% confidence
interval, labelled with the median and the ratio to the baseline) and prints markdown tables
for docs/benchmarks.md: medians and ratios per scenario, then the targets of issues 3 and 4.

    python3 scripts/plot-benches.py                       # ratios against mio-floor
    python3 scripts/plot-benches.py --baseline tokio      # ... against tokio
    python3 scripts/plot-benches.py --no-svg              # table only

Python 3 standard library only.
"""

import argparse
import html
import json
import math
import os
import sys

# Report order of the scenarios and of the implementations; anything else follows, sorted.
GROUPS = ["tcp_pingpong", "udp_pingpong", "unix_pingpong", "tcp_bulk", "tcp_accept", "tcp_fan_in"]
IMPLS = [
    "mio-floor", "asock-block-on", "tokio", "asock-tokio", "async-io", "asock-smol",
    "std-same-cpu", "asock-blocking-same-cpu", "std-split", "asock-blocking-split",
    "std-unpinned", "asock-blocking-unpinned",
]
# (impl, baseline, limit, what): the targets of issues 3 and 4, as ratios of medians of time
# per iteration. For bulk a time ratio <= 1.00 is the same as a throughput ratio >= 1.00.
TARGETS = [
    ("asock-blocking-same-cpu", "std-same-cpu", 1.02, "issue 3: blocking::Socket vs std, p50"),
    ("asock-tokio", "tokio", 1.00, "issue 4: AsyncSocket on tokio vs tokio::net"),
    ("asock-block-on", "mio-floor", 1.10, "issue 4: AsyncSocket under block_on vs mio floor, p50"),
    ("asock-smol", "async-io", 1.10, "issue 12: AsyncSocket under smol vs async-io Async<T>, p50"),
]
TARGET_GROUPS = {
    "asock-blocking-same-cpu": ["tcp_pingpong", "tcp_bulk", "unix_pingpong"],
    "asock-smol": ["tcp_pingpong", "udp_pingpong", "unix_pingpong"],
}


def load(criterion_dir):
    """{group: {impl: record}} from every <group>/<impl>/new/ with both JSON files."""
    results = {}
    if not os.path.isdir(criterion_dir):
        return results
    for group_dir in sorted(os.listdir(criterion_dir)):
        gpath = os.path.join(criterion_dir, group_dir)
        if not os.path.isdir(gpath) or group_dir == "report":
            continue
        for impl_dir in sorted(os.listdir(gpath)):
            new = os.path.join(gpath, impl_dir, "new")
            try:
                with open(os.path.join(new, "estimates.json")) as f:
                    est = json.load(f)
                with open(os.path.join(new, "benchmark.json")) as f:
                    bench = json.load(f)
            except (OSError, ValueError):
                continue
            median = est["median"]
            ci = median["confidence_interval"]
            throughput = bench.get("throughput") or {}
            results.setdefault(bench["group_id"], {})[bench["function_id"]] = {
                "median": median["point_estimate"],  # ns per iteration
                "lo": ci["lower_bound"],
                "hi": ci["upper_bound"],
                "bytes": throughput.get("Bytes"),
            }
    return results


def order(names, preferred):
    known = [n for n in preferred if n in names]
    return known + sorted(n for n in names if n not in preferred)


def fmt_time(ns):
    """Three significant digits, trailing zeros kept: 9.00 µs, 12.6 µs, 189 µs."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3), ("ns", 1)):
        if ns >= scale or unit == "ns":
            v = ns / scale
            digits = 2 if v < 10 else 1 if v < 100 else 0
            return f"{v:.{digits}f} {unit}"


def fmt_rate(nbytes, ns):
    return f"{nbytes / (ns / 1e9) / 2**30:.2f} GiB/s"


def ratio_text(rec, base):
    return f"{rec['median'] / base['median']:.2f}" if base else "–"


# ===== SVG =====

WIDTH, LEFT, RIGHT, TOP, BAR, GAP = 760, 190, 40, 46, 22, 10
CLIP = 4.0  # the axis ends at CLIP x the fastest median; slower bars are drawn broken


def svg_chart(group, impls, baseline):
    """A horizontal bar chart: median per impl, 95% CI whisker, label with ratio.

    The scale is linear and starts at zero, so bar lengths compare as ratios. It ends at CLIP
    times the fastest median: one implementation paying a cross-CPU wake-up (30x slower here)
    would otherwise flatten the differences that matter (1.00 against 1.10). Bars beyond the
    end are cut with a break mark and keep their true value in the label.
    """
    names = order(list(impls), IMPLS)
    base = impls.get(baseline)
    plot_w = WIDTH - LEFT - RIGHT - 190  # room on the right for the labels
    fastest = min(impls[n]["median"] for n in names)
    top = max(impls[n]["hi"] for n in names)
    axis_max = nice_ceiling(min(top, CLIP * fastest))

    def x(v):
        return LEFT + min(v, axis_max) / axis_max * plot_w

    height = TOP + len(names) * (BAR + GAP) + 40
    title = f"{group}: median time per iteration"
    if base:
        title += f", ratio to {baseline}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold">{html.escape(title)}</text>',
    ]
    axis_y = TOP + len(names) * (BAR + GAP)
    for i in range(6):
        t = axis_max * i / 5
        tx = x(t)
        out.append(f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{axis_y}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" '
                   f'fill="#555">{html.escape(fmt_tick(t, axis_max))}</text>')
    for i, name in enumerate(names):
        rec = impls[name]
        y = TOP + i * (BAR + GAP)
        colour = "#d9822b" if name.startswith("asock") else "#4a7ab5"
        if name == baseline:
            colour = "#666"
        out.append(f'<text x="{LEFT - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end">'
                   f'{html.escape(name)}</text>')
        end = x(rec["median"])
        out.append(f'<rect x="{LEFT}" y="{y}" width="{max(end - LEFT, 1):.1f}" '
                   f'height="{BAR}" fill="{colour}"/>')
        if rec["median"] > axis_max:
            # Break mark: two white slashes across the end of the bar.
            for dx in (-22, -14):
                out.append(f'<line x1="{end + dx:.1f}" y1="{y + BAR + 2}" '
                           f'x2="{end + dx + 8:.1f}" y2="{y - 2}" stroke="white" '
                           f'stroke-width="3"/>')
        mid = y + BAR / 2
        if rec["lo"] < axis_max:
            out.append(f'<line x1="{x(rec["lo"]):.1f}" y1="{mid}" x2="{x(rec["hi"]):.1f}" '
                       f'y2="{mid}" stroke="black"/>')
            for v in (rec["lo"], rec["hi"]):
                if v <= axis_max:
                    out.append(f'<line x1="{x(v):.1f}" y1="{mid - 5}" x2="{x(v):.1f}" '
                               f'y2="{mid + 5}" stroke="black"/>')
        label = fmt_time(rec["median"])
        if rec["bytes"]:
            label += f", {fmt_rate(rec['bytes'], rec['median'])}"
        if base:
            label += f"  ×{ratio_text(rec, base)}"
        out.append(f'<text x="{max(x(rec["hi"]), end) + 6:.1f}" '
                   f'y="{y + BAR * 0.7:.1f}">{html.escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def fmt_tick(ns, axis_max):
    """An axis label in the unit of the axis end, without needless digits: 0, 2.5 µs, 10 µs."""
    if ns == 0:
        return "0"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3), ("ns", 1)):
        if axis_max >= scale or unit == "ns":
            return f"{ns / scale:g} {unit}"


def nice_ceiling(v):
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above v."""
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= v:
            return m * e
    return 10 * e


# ===== markdown =====

def table(results, baseline):
    lines = [
        f"| scenario | impl | median | 95% CI of the median | ratio to {baseline} |",
        "|---|---|---:|---|---:|",
    ]
    for group in order(list(results), GROUPS):
        impls = results[group]
        base = impls.get(baseline)
        for name in order(list(impls), IMPLS):
            rec = impls[name]
            median = fmt_time(rec["median"])
            if rec["bytes"]:
                median += f" ({fmt_rate(rec['bytes'], rec['median'])})"
            lines.append(f"| {group} | {name} | {median} | "
                         f"{fmt_time(rec['lo'])} – {fmt_time(rec['hi'])} | "
                         f"{ratio_text(rec, base)} |")
    return "\n".join(lines)


def targets_table(results):
    lines = [
        "| target | scenario | ratio | limit | verdict |",
        "|---|---|---:|---:|---|",
    ]
    for impl, base, limit, what in TARGETS:
        for group in TARGET_GROUPS.get(impl, order(list(results), GROUPS)):
            recs = results.get(group, {})
            if base not in recs:
                continue
            if impl not in recs:
                lines.append(f"| {what} | {group} | – | {limit:.2f} | pending ({impl} not run) |")
                continue
            r = recs[impl]["median"] / recs[base]["median"]
            verdict = "met" if r <= limit else "**missed**"
            lines.append(f"| {what} | {group} | {r:.3f} | {limit:.2f} | {verdict} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--criterion-dir", default="target/criterion")
    ap.add_argument("--out-dir", default="docs/bench-plots")
    ap.add_argument("--baseline", default="mio-floor",
                    help="implementation the ratios are taken against (default: mio-floor)")
    ap.add_argument("--no-svg", action="store_true", help="print the tables only")
    args = ap.parse_args()

    results = load(args.criterion_dir)
    results = {g: r for g, r in results.items() if g in GROUPS or not GROUPS}
    if not results:
        sys.exit(f"plot-benches: no criterion results under {args.criterion_dir} "
                 "(run `cargo bench -p benches --bench net` first)")
    if not args.no_svg:
        os.makedirs(args.out_dir, exist_ok=True)
        for group, impls in results.items():
            path = os.path.join(args.out_dir, f"{group}.svg")
            with open(path, "w") as f:
                f.write(svg_chart(group, impls, args.baseline))
            print(f"wrote {path}", file=sys.stderr)
    print(table(results, args.baseline))
    print()
    print(targets_table(results))


if __name__ == "__main__":
    main()
