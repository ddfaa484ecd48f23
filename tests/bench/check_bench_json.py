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
# One producer, several readers (part 5): case -> (presenters, readers).
MULTI = {"one": (1, 1), "two": (2, 2), "four": (4, 4), "two_outputs": (1, 2)}
for case, (presenters, readers) in MULTI.items():
    for field in ("producer_fps", "producer_cpu_us", "cpu_sum_us"):
        REQUIRED[f"multi_{case}_{field}"] = (0.1, 1e7)
    for p in range(presenters):
        REQUIRED[f"multi_{case}_presenter{p}_cpu_us"] = (0.1, 1e7)
    for k in range(readers):
        REQUIRED[f"multi_{case}_reader{k}_fps"] = (0.1, 1e6)
        REQUIRED[f"multi_{case}_reader{k}_latency_p50_us"] = (1.0, 1e7)
        REQUIRED[f"multi_{case}_reader{k}_latency_p99_us"] = (1.0, 1e7)
REQUIRED["multi_four_vs_one_producer_fps"] = (1e-3, 10.0)


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
    for case, (presenters, readers) in MULTI.items():
        # No reader shows more frames than the producer submitted (10% for the rate's
        # windows: the producer's seconds include its start), percentiles are ordered, and
        # the CPU parts add up.
        fps = get(f"multi_{case}_producer_fps")
        for k in range(readers):
            shown = get(f"multi_{case}_reader{k}_fps")
            if None not in (fps, shown) and shown > 1.1 * fps + 1:
                problems.append(f"multi {case}: reader {k} shows {shown} fps of {fps}")
            p50, p99 = (get(f"multi_{case}_reader{k}_latency_{p}_us") for p in ("p50", "p99"))
            if None not in (p50, p99) and p50 > p99:
                problems.append(f"multi {case}: reader {k} p50 {p50} > p99 {p99}")
        parts = [get(f"multi_{case}_producer_cpu_us")] + [
            get(f"multi_{case}_presenter{p}_cpu_us") for p in range(presenters)]
        total = get(f"multi_{case}_cpu_sum_us")
        if None not in parts and total is not None and abs(sum(parts) - total) > 0.01 * total + 1:
            problems.append(f"multi {case}: CPU parts {parts} do not add up to {total}")
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
