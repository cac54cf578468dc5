#!/usr/bin/env python3
"""Summarise a JFR of the origination phase: where request/lane threads waited (parks >= 10 ms, by the nearest
frame of ours or Hikari's) and where the CPU went (execution samples by top frame of ours), inside a time window.
Usage: bench/jfr-summary.py <file.jfr> <from HH:MM:SS> <to HH:MM:SS>"""
import collections, re, subprocess, sys
jfr, t0, t1 = sys.argv[1:4]
JFR = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
def events(kind):
    out = subprocess.run([JFR, "print", "--events", kind, "--stack-depth", "40", jfr], capture_output=True, text=True).stdout
    for block in out.split(kind + " {")[1:]:
        m = re.search(r"startTime = (\d\d:\d\d:\d\d)\.(\d+)", block)
        if not m or not (t0 <= m.group(1) < t1):
            continue
        d = re.search(r"duration = ([\d.]+) (ms|s|us)", block)
        dur = 0.0
        if d:
            dur = float(d.group(1)) * {"ms": 1, "s": 1000, "us": 0.001}[d.group(2)]
        frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
        yield dur, frames
def site(frames):
    hik = next((f for f in frames if "HikariPool.getConnection" in f or "FailFastDataSource" in f), None)
    ours = [f for f in frames if f.startswith("io.callcenter.") and "FailFastDataSource" not in f
            and ".ops." not in f]
    return ("POOL WAIT " if hik else "") + (ours[0] if ours else (frames[0] if frames else "?"))
for kind in ("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.SocketRead"):
    agg = collections.defaultdict(lambda: [0, 0.0])
    for dur, frames in events(kind):
        k = site(frames)
        agg[k][0] += 1
        agg[k][1] += dur
    print(f"== {kind} in {t0}-{t1}: count, total ms, mean ms, at")
    for k, (n, total) in sorted(agg.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"{n:6d} {total:10.0f} {total / n:8.1f}  {k}")
samples = collections.Counter()
pkgs = collections.Counter()
n = 0
for _, frames in events("jdk.ExecutionSample"):
    n += 1
    ours = [f for f in frames if f.startswith("io.callcenter.")]
    samples[ours[0] if ours else "(none of ours)"] += 1
    top = frames[0] if frames else "?"
    pkgs[".".join(top.split(".")[:3])] += 1
print(f"== CPU samples in window: {n}; by the innermost frame of ours")
for k, c in samples.most_common(15):
    print(f"{c:6d} {100 * c / max(n, 1):5.1f}%  {k}")
print("== by the top frame's package")
for k, c in pkgs.most_common(12):
    print(f"{c:6d} {100 * c / max(n, 1):5.1f}%  {k}")
