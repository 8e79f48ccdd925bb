#!/usr/bin/env python3
"""Deepest register-to-register logic path of an iCE40 netlist, in LUT4 levels.

Usage: lut_depth.py NETLIST.json TOP [OUT.json]

NETLIST.json is Yosys's `write_json` after `synth_ice40` (tools/synth.sh writes
it with the hierarchy kept). A path starts at a flip-flop output, a RAM read
port or an input of TOP and ends at a flip-flop input (D, enable, reset), a RAM
input or an output of TOP. Its depth is the number of SB_LUT4 cells on it:
carry chains (SB_CARRY) and DSP blocks (SB_MAC16) are passed through at no LUT
level and counted next to it, because a carry bit costs a fraction of a LUT
level's delay. Among paths of equal LUT depth the one with more carry cells is
reported. nextpnr's max frequency (tools/impl.sh) is the figure with wires and
carries included; this one is the same for every config, placed or not.

Modules are analysed once each, bottom up. A module's summary says, per input
port, the deepest path from it to a register inside (and which register), per
output bit the deepest path from a register inside to it, and the
combinational depth from each input port to each output bit; the parent uses
the summary where the instance sits. An input port stands for its deepest bit,
so a path through an instance is never shallower than the real one, at worst
deeper by the difference between bits of one port.

Prints a table (per module: LUT levels, carry cells on that path, start and
end; then the whole design) and writes the same as JSON to OUT.json.
"""
import json
import re
import sys
from collections import defaultdict, deque

LUT = "SB_LUT4"
PASS_THROUGH = {"SB_CARRY": "carry", "SB_MAC16": "dsp"}
SEQ_PREFIXES = ("SB_DFF", "SB_RAM40_4K", "SB_SPRAM256KA")
IGNORED = {"SB_GB", "SB_IO", "SB_GB_IO"}
REG = ""  # source tag of a path that starts at a register


class Arrival:
    """Depth of the deepest path reaching a net bit from one source."""
    __slots__ = ("luts", "carries", "dsps", "start")

    def __init__(self, luts, carries, dsps, start):
        self.luts, self.carries, self.dsps, self.start = luts, carries, dsps, start

    def key(self):
        return (self.luts, self.carries, self.dsps)

    def plus(self, kind):
        return Arrival(self.luts + (kind == "lut"), self.carries + (kind == "carry"),
                       self.dsps + (kind == "dsp"), self.start)

    def then(self, other, end):
        """This arrival followed by a summarized path `other` (ending at `end`)."""
        return Arrival(self.luts + other.luts, self.carries + other.carries,
                       self.dsps + other.dsps, self.start), end


def better(a, b):
    return b is None or a.key() > b.key()


def merge(into, tag, arr):
    old = into.get(tag)
    if better(arr, old):
        into[tag] = arr


class Summary:
    def __init__(self):
        self.deepest = None      # (Arrival, end) of the deepest path anywhere inside
        self.in2reg = {}         # input port -> (Arrival from the port, end name)
        self.reg2out = {}        # output bit index (port, i) -> Arrival
        self.in2out = {}         # (port, i) -> {input port: Arrival}
        self.own = None          # deepest path among this module's own cells


def is_box(mod):
    """A cell library module (SB_LUT4, ...): a blackbox, or a whitebox when the
    netlist was written before synth_ice40's `blackbox =A:whitebox`."""
    attrs = mod.get("attributes", {})
    return bool(attrs.get("blackbox") or attrs.get("whitebox"))


def pretty(name):
    return name[1:] if name.startswith("\\") else name


def base_name(module):
    m = re.match(r"^\$paramod(?:\$[0-9a-f]+)?\\(\w+)", module)
    return m.group(1) if m else pretty(module)


def bit_names(mod):
    """The most readable name of every net bit: public names first, then names
    that are not ports (a register's own name rather than the port it drives),
    then the shortest."""
    names = {}
    ports = set(mod["ports"])
    for name, net in mod["netnames"].items():
        rank = (net.get("hide_name", 0), "$" in name, name in ports, len(name))
        for i, b in enumerate(net["bits"]):
            if isinstance(b, str):
                continue
            label = name if len(net["bits"]) == 1 else f"{name}[{i}]"
            if b not in names or rank < names[b][0]:
                names[b] = (rank, label)
    return {b: label for b, (_, label) in names.items()}


def analyse(modules, name, summaries, order):
    if name in summaries:
        return summaries[name]
    mod = modules[name]
    names = bit_names(mod)
    label = lambda b: names.get(b, f"net{b}")

    # Sub-module summaries first.
    for cell in mod["cells"].values():
        t = cell["type"]
        if t in modules and not is_box(modules[t]):
            analyse(modules, t, summaries, order)

    arrivals = defaultdict(dict)   # bit -> {tag: Arrival}
    edges = defaultdict(list)      # bit -> [(cell index)]
    indeg = defaultdict(int)
    nodes = []                     # combinational nodes: (kind, [in bits], [out bits]) or instance arcs
    endpoints = []                 # (bit, extra (Arrival, end) or None, end name)
    summary = Summary()

    def add_node(kind, ins, outs, payload=None):
        idx = len(nodes)
        nodes.append((kind, ins, outs, payload))
        for b in ins:
            edges[b].append(idx)
        return idx

    for cname, cell in mod["cells"].items():
        t = cell["type"]
        conns = cell["connections"]
        dirs = cell.get("port_directions", {})
        bits = lambda p: [b for b in conns.get(p, []) if not isinstance(b, str)]
        if t == LUT or t in PASS_THROUGH:
            kind = "lut" if t == LUT else PASS_THROUGH[t]
            ins = [b for p, d in dirs.items() if d == "input" for b in bits(p)]
            outs = [b for p, d in dirs.items() if d == "output" for b in bits(p)]
            add_node(kind, ins, outs)
        elif t.startswith(SEQ_PREFIXES):
            q_name = None
            for p, d in dirs.items():
                if d == "output":
                    for b in bits(p):
                        merge(arrivals[b], REG, Arrival(0, 0, 0, label(b)))
                        q_name = q_name or label(b)
            end = q_name if t.startswith("SB_DFF") else f"{pretty(cname)} ({t})"
            for p, d in dirs.items():
                if d == "input" and p not in ("C", "CLK", "RCLK", "WCLK", "CLOCK"):
                    for b in bits(p):
                        endpoints.append((b, None, end))
        elif t in summaries:
            sub = summaries[t]
            inst = pretty(cname)
            port_bits = {p: bits(p) for p in dirs}
            # Registered outputs of the instance start paths.
            for (p, i), arr in sub.reg2out.items():
                b = conns[p][i]
                if not isinstance(b, str):
                    merge(arrivals[b], REG, Arrival(arr.luts, arr.carries, arr.dsps,
                                                    f"{inst}.{arr.start}"))
            # Inputs that reach registers inside end paths.
            for p, (arr, end) in sub.in2reg.items():
                for b in port_bits.get(p, []):
                    endpoints.append((b, arr, f"{inst}.{end}"))
            # Combinational arcs through the instance.
            for (p, i), srcs in sub.in2out.items():
                out = conns[p][i]
                if isinstance(out, str):
                    continue
                ins = [b for q in srcs for b in port_bits.get(q, [])]
                add_node("inst", ins, [out], (inst, srcs, port_bits))
        elif t in IGNORED:
            pass
        elif t in modules and is_box(modules[t]):
            raise SystemExit(f"{name}: cell {cname} of unknown primitive type {t}")
        else:
            raise SystemExit(f"{name}: cell {cname} of type {t} has no module in the netlist")

    # Ports of this module.
    for pname, port in mod["ports"].items():
        if port["direction"] == "input":
            for b in port["bits"]:
                if not isinstance(b, str):
                    merge(arrivals[b], pname, Arrival(0, 0, 0, pretty(pname)))

    # Longest paths in topological order (Kahn over combinational nodes).
    node_indeg = [0] * len(nodes)
    driver = {}
    for idx, (kind, ins, outs, _) in enumerate(nodes):
        for b in outs:
            driver[b] = idx
    for idx, (kind, ins, outs, _) in enumerate(nodes):
        node_indeg[idx] = sum(1 for b in ins if b in driver)
    ready = deque(i for i, n in enumerate(node_indeg) if n == 0)
    done = 0
    while ready:
        idx = ready.popleft()
        done += 1
        kind, ins, outs, payload = nodes[idx]
        if kind == "inst":
            inst, srcs, port_bits = payload
            result = {}
            for q, arc in srcs.items():
                for b in port_bits.get(q, []):
                    for tag, arr in arrivals.get(b, {}).items():
                        merge(result, tag, Arrival(arr.luts + arc.luts, arr.carries + arc.carries,
                                                   arr.dsps + arc.dsps, arr.start))
        else:
            result = {}
            for b in ins:
                for tag, arr in arrivals.get(b, {}).items():
                    merge(result, tag, arr.plus(kind))
        for b in outs:
            for tag, arr in result.items():
                merge(arrivals[b], tag, arr)
            for nxt in edges.get(b, []):
                node_indeg[nxt] -= 1
                if node_indeg[nxt] == 0:
                    ready.append(nxt)
    if done != len(nodes):
        print(f"lut_depth.py: note: {name}: {len(nodes) - done} cells on combinational loops "
              "(or on loops made by port-level summaries) were skipped", file=sys.stderr)

    def consider(arr, end, tag):
        if tag == REG:
            if summary.own is None or better(arr, summary.own[0]):
                summary.own = (arr, end)
        else:
            old = summary.in2reg.get(tag)
            if old is None or better(arr, old[0]):
                summary.in2reg[tag] = (arr, end)

    for b, extra, end in endpoints:
        for tag, arr in arrivals.get(b, {}).items():
            if extra is not None:
                arr, _ = arr.then(extra, end)
            consider(arr, end, tag)
    for pname, port in mod["ports"].items():
        if port["direction"] != "output":
            continue
        for i, b in enumerate(port["bits"]):
            if isinstance(b, str):
                continue
            for tag, arr in arrivals.get(b, {}).items():
                if tag == REG:
                    summary.reg2out[(pname, i)] = arr
                else:
                    summary.in2out.setdefault((pname, i), {})[tag] = arr

    # The deepest path anywhere inside: own cells, or inside an instance.
    summary.deepest = summary.own
    for cname, cell in mod["cells"].items():
        sub = summaries.get(cell["type"])
        if sub is not None and sub.deepest is not None:
            arr, end = sub.deepest
            cand = (Arrival(arr.luts, arr.carries, arr.dsps, f"{pretty(cname)}.{arr.start}"),
                    f"{pretty(cname)}.{end}")
            if summary.deepest is None or better(cand[0], summary.deepest[0]):
                summary.deepest = cand
    summaries[name] = summary
    order.append(name)
    return summary


def instance_paths(modules, top):
    """One instance path per module (the first found), for the table."""
    paths = {top: pretty(top)}
    queue = deque([top])
    while queue:
        m = queue.popleft()
        for cname, cell in modules[m]["cells"].items():
            t = cell["type"]
            if t in modules and t not in paths and not is_box(modules[t]):
                paths[t] = f"{paths[m]}.{pretty(cname)}"
                queue.append(t)
    return paths


def row(path):
    if path is None:
        return None
    arr, end = path
    return {"lut_levels": arr.luts, "carry_cells": arr.carries, "dsps": arr.dsps,
            "start": arr.start, "end": end}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: lut_depth.py NETLIST.json TOP [OUT.json]")
    with open(sys.argv[1]) as f:
        modules = json.load(f)["modules"]
    top = sys.argv[2]
    if top not in modules:
        top = "\\" + top if "\\" + top in modules else top
    if top not in modules:
        sys.exit(f"{sys.argv[1]}: no module {sys.argv[2]}")
    summaries, order = {}, []
    analyse(modules, top, summaries, order)
    where = instance_paths(modules, top)
    per_module = []
    for m in order:
        r = row(summaries[m].own)
        per_module.append({"module": base_name(m), "instance": where.get(m, ""),
                           **(r or {"lut_levels": 0, "carry_cells": 0, "dsps": 0,
                                    "start": None, "end": None})})
    per_module.sort(key=lambda r: (-r["lut_levels"], -r["carry_cells"], r["module"]))
    report = {"top": pretty(top), "whole": row(summaries[top].deepest), "modules": per_module}
    if len(sys.argv) == 4:
        with open(sys.argv[3], "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    fmt = "{:<34} {:>6} {:>6} {:>4}  {} -> {}"
    print(fmt.format("instance (one per module)", "levels", "carry", "dsp", "start", "end"))
    for r in per_module:
        print(fmt.format(r["instance"], r["lut_levels"], r["carry_cells"], r["dsps"], r["start"], r["end"]))
    w = report["whole"]
    if w:
        print(fmt.format("whole design", w["lut_levels"], w["carry_cells"], w["dsps"], w["start"], w["end"]))


if __name__ == "__main__":
    main()
