#!/usr/bin/env python3
"""Checks a handoff-bench --json file: every promised key present, each a sane number.

Sane means physically possible (positive times, fps, CPU; ordered percentiles; ratios within
bounds), never a performance goal. Exits 1 with every problem listed.
"""
import json
import sys

SIZE = "1080p"
KINDS = ("floor", "handoff", "handoff_composed", "weston")

# key: (low, high) bounds that any correct run stays within.
REQUIRED = {
    "ratio_vs_copy_1080p": (1e-4, 10.0),
    "latency_p50_1080p_us": (1.0, 1e7),
    "copy_1080p_us": (1.0, 1e7),
    "nested_added_latency_ms": (-1e4, 1e4),
    "weston_nested_added_latency_ms": (-1e4, 1e4),
    "cpu_ratio_vs_weston_nested_1080p": (1e-3, 1e3),
    "cpu_ratio_vs_weston_nested_without_parent_1080p": (1e-3, 1e4),
    "cpu_ratio_vs_weston_nested_composed_1080p": (1e-3, 1e3),
    "nested_composed_added_latency_ms": (-1e4, 1e4),
    "copy_1080p_fps": (0.1, 1e7),
    "headless_pixman_mailbox_1080p_fps": (0.1, 1e6),
    "headless_pixman_mailbox_1080p_latency_p50_us": (1.0, 1e7),
    "headless_pixman_mailbox_1080p_latency_p99_us": (1.0, 1e7),
    "headless_pixman_mailbox_1080p_latency_max_us": (1.0, 1e8),
    "headless_pixman_mailbox_1080p_producer_cpu_us": (0.1, 1e7),
    "headless_pixman_mailbox_1080p_presenter_cpu_us": (0.1, 1e7),
    "sync_product_p50_us": (0.01, 1e6),
    "sync_pipe_p50_us": (0.01, 1e6),
}
for kind in KINDS:
    for field, bounds in (("fps", (0.1, 1e4)), ("latency_p50_ms", (0.001, 1e4)),
                          ("latency_p99_ms", (0.001, 1e4)), ("latency_max_ms", (0.001, 1e5)),
                          ("cpu_parent_us", (1.0, 1e8)), ("cpu_producer_us", (1.0, 1e8)),
                          ("cpu_sum_us", (1.0, 1e9)), ("frames", (1, 1e7))):
        REQUIRED[f"nested_{kind}_{SIZE}_{field}"] = bounds
for kind in ("handoff", "handoff_composed", "weston"):
    REQUIRED[f"nested_{kind}_{SIZE}_cpu_middle_us"] = (1.0, 1e8)


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    problems = []
    for key, (low, high) in REQUIRED.items():
        value = data.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{key}: missing or not a number ({value!r})")
        elif not low <= value <= high:
            problems.append(f"{key}: {value} outside the sane range [{low}, {high}]")
    def get(key):
        v = data.get(key)
        return v if isinstance(v, (int, float)) else None
    # Percentiles are ordered, and the headline figures agree with the detailed ones.
    for prefix in [f"headless_pixman_mailbox_{SIZE}_latency"] + [
            f"nested_{k}_{SIZE}_latency" for k in KINDS]:
        unit = "us" if prefix.startswith("headless") else "ms"
        p50, p99, top = (get(f"{prefix}_{p}_{unit}") for p in ("p50", "p99", "max"))
        if None not in (p50, p99, top) and not p50 <= p99 <= top:
            problems.append(f"{prefix}: p50 {p50} <= p99 {p99} <= max {top} does not hold")
    ratio, fps, copy_fps = (get("ratio_vs_copy_1080p"),
                            get(f"headless_pixman_mailbox_{SIZE}_fps"), get(f"copy_{SIZE}_fps"))
    if None not in (ratio, fps, copy_fps) and abs(ratio - fps / copy_fps) > 1e-3 * ratio:
        problems.append(f"ratio_vs_copy_1080p {ratio} is not {fps} / {copy_fps}")
    added, floor, handoff = (get("nested_added_latency_ms"), get(f"nested_floor_{SIZE}_latency_p50_ms"),
                             get(f"nested_handoff_{SIZE}_latency_p50_ms"))
    if None not in (added, floor, handoff) and abs(added - (handoff - floor)) > 0.01:
        problems.append(f"nested_added_latency_ms {added} is not {handoff} - {floor}")
    for kind in KINDS:
        parts = [get(f"nested_{kind}_{SIZE}_cpu_{p}_us") for p in ("parent", "middle", "producer")]
        total = get(f"nested_{kind}_{SIZE}_cpu_sum_us")
        if None not in parts and total is not None and abs(sum(parts) - total) > 0.01 * total + 1:
            problems.append(f"nested {kind}: CPU parts {parts} do not add up to {total}")
    if problems:
        print(f"FAIL: {path}:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"ok: {len(REQUIRED)} keys present and sane in {path}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check_bench_json.py BENCH.json", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
