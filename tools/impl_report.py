#!/usr/bin/env python3
"""Reads the nextpnr reports of tools/impl.sh and writes impl.json and a table.

Usage: impl_report.py OUT DEVICE FREQ SHELL_FLOPS SYNTH_SECONDS "PNR_SECONDS..."

OUT holds report-seed<N>.json (nextpnr --report) for seeds 1..N. Per seed: the
max frequency of the design clock (clk_i) after routing and the critical path
(start and end signal, delay, the part of it spent in logic, its LUT count).
Over the seeds: utilization (the same for every seed), the median max
frequency and its seed. Prints the table on stdout and the median seed's
number on the last line of OUT/median-seed.txt.
"""
import json
import os
import statistics
import sys
import tempfile


def clock_of(fmax):
    """The design clock: clk_i's global net (nextpnr names it clk_i$SB_IO_IN_$glb_clk)."""
    names = [n for n in fmax if n.startswith("clk_i")]
    if len(names) != 1:
        sys.exit(f"impl_report.py: expected one clock named after clk_i, got {sorted(fmax)}")
    return names[0]


def critical_path(report, clock):
    for p in report.get("critical_paths", []):
        if p.get("from") == f"posedge {clock}" and p.get("to") == f"posedge {clock}":
            steps = p["path"]
            nets = [s["net"] for s in steps if s.get("type") == "routing" and "net" in s]
            logic = sum(s["delay"] for s in steps if s["type"] in ("logic", "clk-to-q", "setup"))
            total = sum(s["delay"] for s in steps)
            luts = sum(1 for s in steps if s["type"] == "logic" and s["to"]["port"] == "O")
            return {
                "start": nets[0] if nets else steps[0]["to"]["cell"],
                "end": nets[-1] if nets else steps[-1]["to"]["cell"],
                "end_cell": f'{steps[-1]["to"]["cell"]}.{steps[-1]["to"]["port"]}',
                "delay_ns": round(total, 2),
                "logic_ns": round(logic, 2),
                "luts": luts,
            }
    return None


def main():
    out, device, freq, shell_flops, synth_seconds, pnr_seconds = sys.argv[1:]
    seconds = [int(s) for s in pnr_seconds.split()]
    seeds = []
    for n in range(1, len(seconds) + 1):
        with open(os.path.join(out, f"report-seed{n}.json")) as f:
            report = json.load(f)
        clock = clock_of(report["fmax"])
        seeds.append({
            "seed": n,
            "fmax_mhz": round(report["fmax"][clock]["achieved"], 2),
            "critical_path": critical_path(report, clock),
            "seconds": seconds[n - 1],
            "utilization": report["utilization"],
        })
    fmaxes = [s["fmax_mhz"] for s in seeds]
    median = statistics.median_low(fmaxes)
    median_seed = next(s["seed"] for s in seeds if s["fmax_mhz"] == median)
    util = seeds[0]["utilization"]
    summary = {
        "device": device,
        "target_mhz": int(freq),
        "median_fmax_mhz": median,
        "median_seed": median_seed,
        "met": median >= int(freq),
        "logic_cells": util["ICESTORM_LC"]["used"],
        "logic_cells_available": util["ICESTORM_LC"]["available"],
        "block_rams": util["ICESTORM_RAM"]["used"],
        "block_rams_available": util["ICESTORM_RAM"]["available"],
        "dsps": util.get("ICESTORM_DSP", {}).get("used", 0),
        "dsps_available": util.get("ICESTORM_DSP", {}).get("available", 0),
        "io": util["SB_IO"]["used"],
        "shell_flip_flops": int(shell_flops),
        "synth_seconds": int(synth_seconds),
        "seeds": [{k: v for k, v in s.items() if k != "utilization"} for s in seeds],
    }
    fd, tmp = tempfile.mkstemp(dir=out, prefix="impl.json.tmp-")
    with os.fdopen(fd, "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, os.path.join(out, "impl.json"))
    with open(os.path.join(out, "median-seed.txt"), "w") as f:
        f.write(f"{median_seed}\n")

    s = summary
    print(f"{out}: {device}, target {freq} MHz")
    print(f"logic cells {s['logic_cells']} of {s['logic_cells_available']} "
          f"({100 * s['logic_cells'] / s['logic_cells_available']:.0f}%, of which about "
          f"{s['shell_flip_flops']} hold the shell's scan registers), block RAMs "
          f"{s['block_rams']} of {s['block_rams_available']}, DSPs {s['dsps']} of "
          f"{s['dsps_available']}, I/O {s['io']}")
    fmt = "{:>5} {:>9} {:>9} {:>9} {:>5}  {} -> {}"
    print(fmt.format("seed", "fmax MHz", "path ns", "logic ns", "LUTs", "start", "end"))
    for seed in s["seeds"]:
        p = seed["critical_path"] or {"delay_ns": "-", "logic_ns": "-", "luts": "-",
                                      "start": "-", "end": "-"}
        print(fmt.format(seed["seed"], f'{seed["fmax_mhz"]:.2f}', p["delay_ns"], p["logic_ns"],
                         p["luts"], p["start"], p["end"]))
    print(f"median max frequency {median:.2f} MHz (seed {median_seed}): "
          f"{'meets' if s['met'] else 'misses'} the {freq} MHz target")


if __name__ == "__main__":
    main()
