"""The figures of bench/cluster.sh, from what it left in its SIPp directory; refuses those a run did not measure.

  cluster-report.py <sipp-dir> <phases> <steps> <clock-ticks-per-s> <cores>
"""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import pct  # noqa: E402


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def rtts(path):
    values = []
    with open(path) as f:
        for row in csv.reader(f, delimiter=";"):
            try:
                values.append(float(row[1]))
            except (ValueError, IndexError):
                pass
    return values


def edge(sipp):
    direct, through = rtts(os.path.join(sipp, "direct-latency.rtt")), rtts(os.path.join(sipp, "edge-latency.rtt"))
    if not direct or not through:
        print("edge's added setup latency: NOT MEASURED (no samples on a path)")
        return False
    print(f"edge's added setup latency, INVITE->200 answered by an agent on node 1, directly vs through the edge "
          f"({len(direct)}/{len(through)} calls, halves alternating; load at the start: {load(sipp, 'load-ready')}, "
          f"at the end: {load(sipp, 'load-edge')})")
    print(f"{'':18}{'direct':>10}{'edge':>10}{'ratio':>8}{'added':>10}")
    for name, p in (("setup p50 (ms)", 50), ("setup p99 (ms)", 99)):
        d, e = pct(direct, p), pct(through, p)
        print(f"{name:18}{d:>10.1f}{e:>10.1f}{e / d:>8.2f}{e - d:>+10.1f}")
    return True


def load(sipp, name):
    return read(os.path.join(sipp, name)).split("load average:")[-1].strip() or "?"


def node_cores(out, ticks):
    start, end = read(out + ".peak-start.nodes").split(), read(out + ".peak-end.nodes").split()
    t0, t1 = float(read(out + ".peak-start").split()[7]), float(read(out + ".peak-end").split()[7])
    return [(int(b) - int(a)) / ticks / (t1 - t0) for a, b in zip(start, end)]


def scaling(sipp, steps, ticks, cores):
    out = os.path.join(sipp, "scaling")
    rows = {}
    print("scaling: the same recorded calls with audio both ways through the edge to 1 node, then to 2 "
          f"(every step below judged by bench/capacity-step.py; this machine: {cores} cores shared by both nodes)")
    print(f"{'layout':8}{'calls':>6}  {'verdict':10}{'split n1/n2':>13}{'cores n1/n2':>13}{'Asterisk cores/100 calls':>26}"
          f"{'RTP at carrier/agents':>23}  load (peak)")
    for layout in (1, 2):
        for calls in steps:
            prefix = os.path.join(out, f"{layout}node-{calls}")
            if not os.path.exists(prefix + ".json"):
                continue
            with open(prefix + ".json") as f:
                figures = json.load(f)
            split = [int(v) for v in read(prefix + ".split", "0 0").split()]
            per_node = node_cores(prefix, ticks)
            per_call = 100 * sum(per_node) / calls
            rows[(layout, calls)] = (figures, split, per_node, per_call)
            share = f"{split[0] / max(1, sum(split)):.0%}/{split[1] / max(1, sum(split)):.0%}"
            print(f"{layout:<8}{calls:>6}  {figures['verdict']:10}{share:>13}{per_node[0]:>7.2f}/{per_node[1]:<5.2f}"
                  f"{per_call:>26.3f}{figures['carrier_peak']:>12.1%}/{figures['agent_peak']:<10.1%}  {figures['load_peak']}")
            if layout == 2 and min(split) == 0:
                print(f"INVALID RUN: with two nodes, {calls} calls all landed on one node (split {split}): the edge did not spread")
                return False
    # CPU per call compares only where every call was up at the peak in both layouts (clean, or unclean by RTP or
    # failures): a step whose calls were still being set up measured less than its load. Shown with both verdicts.
    full = ("clean", "unclean")
    same = [calls for calls in steps if (1, calls) in rows and (2, calls) in rows
            and rows[(1, calls)][0]["verdict"] in full and rows[(2, calls)][0]["verdict"] in full]
    if same:
        calls = max(same)
        one, two = rows[(1, calls)], rows[(2, calls)]
        print(f"at the same total load ({calls} calls; 1 node {one[0]['verdict']}, 2 nodes {two[0]['verdict']}): "
              f"Asterisk CPU per call, 2 nodes / 1 node = {two[3] / one[3]:.2f} ({two[3]:.3f} vs {one[3]:.3f} cores "
              f"per 100 calls); the edge's split {two[1][0]}/{two[1][1]} channels")
    else:
        print("at the same total load: NOT MEASURED (no step had every call up at the peak in both layouts)")
    limits = {}
    for layout in (1, 2):
        limit, stopped = read(os.path.join(out, f"limit-{layout}")), read(os.path.join(out, f"stopped-{layout}"))
        limits[layout] = (int(limit) if limit else 0, int(stopped) if stopped else None)
        print(f"limit with {layout} node(s): highest clean step {limit or 'none'}"
              f"{', first unclean ' + stopped if stopped else ' (never unclean within the steps: the limit is above it)'}")
    (l1, s1), (l2, s2) = limits[1], limits[2]
    if s1 and s2 and l1 and l2:
        print(f"scaling ratio (calls per node at the limit, 2 nodes / 1 node): {l2 / 2:.0f} / {l1} = {l2 / 2 / l1:.2f}; "
              f"the machine's limit, not the nodes': both nodes ran on the same {cores} cores")
    else:
        print("scaling ratio: NOT MEASURED (a layout's limit was not bracketed by a clean and an unclean step)")
    return True


def main():
    sipp, phases, steps, ticks, cores = sys.argv[1], sys.argv[2].split(), [int(s) for s in sys.argv[3].split()], \
        int(sys.argv[4]), sys.argv[5]
    ok = True
    if "edge" in phases:
        ok &= edge(sipp)
    if "scaling" in phases:
        ok &= scaling(sipp, steps, ticks, cores)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
