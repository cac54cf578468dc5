#!/usr/bin/env python3
"""The ceiling phase step by step (bench/call-setup.sh writes ceiling-steps.txt in the SIPp directory): per path and
step, setup p50/p99, the cores each process used over the step and its CPU per call (ms), and Asterisk's deepest
task processor queues in the middle of the step. Usage: bench/ceiling-steps.py <sipp dir>"""
import csv, os, re, sys

sipp = sys.argv[1]


def rtts(name):
    values = []
    try:
        with open(os.path.join(sipp, name)) as f:
            for row in csv.reader(f, delimiter=";"):
                try:
                    values.append(float(row[1]))
                except (ValueError, IndexError):
                    pass
    except FileNotFoundError:
        pass
    return sorted(values)


def pct(values, p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def deepest(name):
    """The three task processors with the deepest queue since Asterisk started ('Max Depth'), with their queue
    at that moment."""
    found = []
    try:
        with open(os.path.join(sipp, name)) as f:
            for line in f:
                parts = line.split()
                # Processor, Processed, In Queue, Max Depth, Low water, High water (Asterisk 22: and two times)
                if len(parts) >= 6 and all(p.isdigit() for p in parts[1:]):
                    found.append((int(parts[3]), int(parts[2]), parts[0]))
    except FileNotFoundError:
        return "?"
    found.sort(reverse=True)
    return " ".join(f"{n}:{depth}/{queued}" for depth, queued, n in found[:3])


print(f"{'path':9}{'cps':>5}{'calls':>6} {'result':11}{'p50':>7}{'p99':>7}"
      f"{'cores: ast':>11}{'app':>6}{'pg':>6}{'uas':>6}{'busy':>6}"
      f"{'ms/call: ast':>13}{'app':>6}{'pg':>6}{'uas':>6}{'load':>6}  deepest task processors (max depth/queued)")
with open(os.path.join(sipp, "ceiling-steps.txt")) as f:
    for line in f:
        v = line.split()
        path, rate, calls, result = v[0], int(v[1]), int(v[2]), v[3]
        a = [float(x) for x in v[4:11]]
        b = [float(x) for x in v[11:18]]
        ncpu, tck, load = int(v[18]), int(v[19]), v[20]
        seconds = b[0] - a[0]
        ticks = [b[i] - a[i] for i in range(1, 5)]
        cores = [t / tck / seconds for t in ticks]
        per_call = [t / tck * 1000 / calls for t in ticks]
        busy = ((b[5] - a[5]) - (b[6] - a[6])) / max(1.0, b[5] - a[5]) * ncpu
        r = rtts(f"{path}-{rate}.rtt")
        print(f"{path:9}{rate:>5}{calls:>6} {result:11}{pct(r, 50):>7.0f}{pct(r, 99):>7.0f}"
              f"{cores[0]:>11.2f}{cores[1]:>6.2f}{cores[2]:>6.2f}{cores[3]:>6.2f}{busy:>6.2f}"
              f"{per_call[0]:>13.1f}{per_call[1]:>6.1f}{per_call[2]:>6.1f}{per_call[3]:>6.1f}{load:>6}  "
              f"{deepest(f'{path}-{rate}.taskprocessors')}")
