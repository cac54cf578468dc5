#!/usr/bin/env python3
"""The measured part of `make bench-queue` (bench/queue-hold.sh sets up Asterisk, PostgreSQL, the app and the
agents' SIPp first). Three phases through the same Asterisk in one run, the same number of callers each:

1. MusicOnHold(): callers from the second stand-in carrier (127.0.0.6) held by plain dialplan music on hold;
2. app_queue: the same carrier's callers in Queue() (music, position announcements) whose members, the first
   agents, are all paused; then members are unpaused one at a time (CLI) and the time to their phone's INVITE is
   measured: app_queue's own figure for "an agent becomes available -> the next caller rings them";
3. ARI queue: callers from the stand-in carrier (127.0.0.2) to the demo DID, held by the team's queue in the app
   (holding bridge with music, position announcements) while every agent is on BREAK; then agents are made
   AVAILABLE one at a time (PUT /api/me/state) and the time to their phone's INVITE is measured.

In each hold window: CPU of Asterisk, the app and these callers (from /proc, sampled each second), RSS, the app's
heap, and per caller the RTP received against 50 packets a second, with the energy of every 10th caller's audio.
Refuses to print figures (exit 1, "INVALID RUN") when the run did not measure what it claims.
"""
import argparse
import asyncio
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import pct  # noqa: E402
from sipcallers import Callers  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
# Share of the expected RTP a caller must receive (Asterisk's music on a busy machine sends 2-4% fewer than 50 a
# second with no sequence gap: pacing, not loss), and the RMS a second of music (or an announcement) has at least;
# QueueIT asserts 300 for one second of music.
MIN_RTP_SHARE = 0.9
RMS_FLOOR = 300
MIN_LOUD_SHARE = 0.8

p = argparse.ArgumentParser()
p.add_argument("--app", required=True)
p.add_argument("--password", required=True)
p.add_argument("--agents", type=int, required=True)
p.add_argument("--samples", type=int, required=True)
p.add_argument("--callers", type=int, required=True)
p.add_argument("--rate", type=float, required=True)
p.add_argument("--hold", type=int, required=True)
p.add_argument("--agent-logs", required=True)
p.add_argument("--pids", required=True, help="asterisk=PID,app=PID")
p.add_argument("--psql", required=True)
p.add_argument("--cli", required=True)
p.add_argument("--queue", required=True)
p.add_argument("--jcmd", required=True)
p.add_argument("--out", required=True)
args = p.parse_args()
PIDS = dict(item.split("=") for item in args.pids.split(","))
PIDS["callers"] = str(os.getpid())


def fail(message):
    print("INVALID RUN: " + message)
    sys.exit(1)


def sql(query):
    return subprocess.run(shlex.split(args.psql) + ["-c", query], capture_output=True, text=True, check=True).stdout.strip()


def cli(command):
    return subprocess.run(shlex.split(args.cli) + [command], capture_output=True, text=True).stdout


def http(method, path, body=None, token=None):
    return benchlib.http(args.app, method, path, body, token)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def heap_mib():
    out = subprocess.run([args.jcmd, PIDS["app"], "GC.heap_info"], capture_output=True, text=True).stdout
    used = re.search(r"used (\d+)K", out)
    return int(used.group(1)) / 1024 if used else float("nan")


def invites(since):
    return benchlib.invites(args.agent_logs, since)


async def hold(callers, name, number, check):
    """Places the callers, waits until all are answered, measures one hold window; returns the phase's figures."""
    started = time.time()
    calls = await callers.place(number, args.callers, args.rate)
    deadline = time.time() + 120
    while time.time() < deadline and any(c.final_status is None for c in calls):
        await asyncio.sleep(0.5)
    answered = [c for c in calls if c.state == "answered"]
    if len(answered) < args.callers:
        statuses = sorted({str(c.final_status) for c in calls if c.state != "answered"})
        fail(f"{name}: only {len(answered)} of {args.callers} callers answered (others: {statuses})")
    await asyncio.sleep(3)
    check(name, "before the window")
    callers.open_window(calls)
    before = {k: cpu_seconds(pid) for k, pid in PIDS.items()}
    t0 = time.time()
    samples = {k: [] for k in PIDS}
    last = dict(before)
    last_t = t0
    while time.time() - t0 < args.hold:
        await asyncio.sleep(1)
        now = time.time()
        for k, pid in PIDS.items():
            value = cpu_seconds(pid)
            samples[k].append((value - last[k]) / (now - last_t) * 100)
            last[k] = value
        last_t = now
        if any(c.state != "answered" for c in calls):
            gone = [c for c in calls if c.state != "answered"]
            fail(f"{name}: {len(gone)} callers were hung up while holding (first: {gone[0].call_id})")
    elapsed = time.time() - t0
    callers.close_window(calls)
    after = {k: cpu_seconds(pid) for k, pid in PIDS.items()}
    check(name, "at the end of the window")
    expected = elapsed * 50
    shares = [c.packets / expected for c in calls]
    sampled = [c for c in calls if c.sampled]
    audio = []
    for c in sampled:
        rms = Callers.rms_per_second(c)
        loud = sum(1 for r in rms if r >= RMS_FLOOR) / max(1, len(rms))
        audio.append({"caller": c.index, "rtp_share": c.packets / expected, "gaps": c.gaps,
                      "rms_median": statistics.median(rms) if rms else 0, "loud_share": loud})
    bad = [a for a in audio if a["rtp_share"] < MIN_RTP_SHARE or a["loud_share"] < MIN_LOUD_SHARE]
    silent = [c.index for c in calls if c.packets == 0]
    figures = {
        "phase": name, "callers": len(calls), "window_s": round(elapsed, 1),
        "setup_s": round(max(c.answered_at for c in calls) - started, 1),
        "cpu": {k: round((after[k] - before[k]) / elapsed * 100, 1) for k in PIDS},
        "cpu_max_1s": {k: round(max(v), 1) for k, v in samples.items()},
        "rss_mib": {k: round(rss_mib(pid)) for k, pid in PIDS.items()},
        "app_heap_used_mib": round(heap_mib()),
        "rtp_share_min": round(min(shares), 3), "rtp_share_p50": round(pct(shares, 50), 3),
        "callers_below_share": sum(1 for s in shares if s < MIN_RTP_SHARE),
        "gaps_total": sum(c.gaps for c in calls), "sampled": audio,
    }
    if silent:
        fail(f"{name}: {len(silent)} callers received no RTP at all (e.g. caller {silent[0]})")
    if bad:
        fail(f"{name}: sampled callers without intact audio: {bad[:3]}; CPU (% of one core) {figures['cpu']}, "
             f"load average {open('/proc/loadavg').read().split()[:3]}")
    return figures, calls


def check_channels(application):
    def check(name, when):
        holding = sum(1 for line in cli("core show channels concise").splitlines() if f"!{application}!" in line)
        if holding < args.callers:
            fail(f"{name}: {when}, only {holding} channels in {application}(), {args.callers} placed")
    return check


def check_queue(name, when):
    rows = sql(f"select count(*) filter (where event = 'joined'), count(*) filter (where event in "
               f"('abandoned', 'timed_out', 'overflowed', 'lost', 'offered')) from queue_event where queue_id = "
               f"'{args.queue}'").split("|")
    queued = int(sql("select count(*) from call where state = 'QUEUED'"))
    in_bridge = cli(f"bridge show queue-{args.queue}").count("PJSIP/telnyx-")
    if int(rows[0]) < args.callers or int(rows[1]) > 0 or queued < args.callers or in_bridge < args.callers:
        fail(f"{name}: {when}: {rows[0]} joined the queue, {rows[1]} left it or were offered, {queued} calls QUEUED, "
             f"{in_bridge} callers in the holding bridge; {args.callers} placed")


def login_agents():
    extensions = [str(2000 + i) for i in range(1, args.agents + 1)]
    tokens = {}

    def login(chunk):
        for ext in chunk:
            status, body = http("POST", "/api/auth/login", {"username": f"load{ext}", "password": args.password})
            if status == 200:
                tokens[ext] = body["token"]
    threads = [threading.Thread(target=login, args=(extensions[k::6],)) for k in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    if len(tokens) < len(extensions):
        fail(f"only {len(tokens)} of {len(extensions)} agents logged in")
    return {ext: tokens[ext] for ext in extensions}


def choose(tokens, state):
    for ext, token in tokens.items():
        status, body = http("PUT", "/api/me/state", {"state": state}, token)
        if status != 200:
            fail(f"agent {ext} could not choose {state}: {status} {body}")


def team_states():
    _, manager = http("POST", "/api/auth/login", {"username": "maria", "password": args.password})
    _, agents = http("GET", "/api/team/agents", token=manager["token"])
    return {a["extension"]: a["state"] for a in agents if a["extension"].startswith("2")}


def ring(name, extensions, make_available, since):
    """Agents become available one at a time; each must ring (the longest-waiting caller's offer) before the next,
    and no phone may ring that was not made available. Returns per agent: sent, accepted, rung (epoch seconds)."""
    early = invites(since)
    if early:
        fail(f"{name}: agents' phones rang before any agent was made available ({early[:3]})")
    made, results = {}, []
    for ext in extensions:
        sent = time.time()
        make_available(ext)
        accepted = time.time()
        made[ext] = sent
        rung = None
        while time.time() < sent + 20 and rung is None:
            rung = next((at for e, at in invites(sent) if e == ext), None)
            if rung is None:
                time.sleep(0.02)
        if rung is None:
            fail(f"{name}: agent {ext} was made available and not rung within 20 s")
        results.append({"agent": ext, "sent": sent, "accepted": accepted, "rung": rung})
        time.sleep(0.3)
    time.sleep(2)
    for ext, at in invites(since):
        if ext not in made or at < made[ext]:
            fail(f"{name}: agent {ext} was rung at {at:.3f} without being made available (made: {made.get(ext)})")
    return results


def app_available(tokens):
    def make(ext):
        status, body = http("PUT", "/api/me/state", {"state": "AVAILABLE"}, tokens[ext])
        if status != 200:
            fail(f"agent {ext} could not become AVAILABLE: {status} {body}")
    return make


def unpause(ext):
    out = cli(f"queue unpause member PJSIP/{ext} queue benchq")
    if "unpaused interface" not in out.lower():
        fail(f"app_queue: member PJSIP/{ext} not unpaused: {out.strip()}")


def logged_available(results, since):
    """The time the app logged each agent AVAILABLE (agent_state_event), after the request that made them so."""
    rows = sql("select a.extension || ' ' || extract(epoch from e.occurred_at) from agent_state_event e "
               f"join agent a on a.id = e.agent_id where e.state = 'AVAILABLE' and e.occurred_at >= to_timestamp({since})")
    first = {}
    for line in rows.splitlines():
        ext, at = line.split()
        first.setdefault(ext, []).append(float(at))
    for r in results:
        after = [at for at in first.get(r["agent"], []) if at >= r["sent"] - 0.001]
        r["logged"] = min(after) if after else None


async def main():
    tokens = login_agents()
    choose(tokens, "BREAK")
    await asyncio.sleep(2)
    not_break = [e for e, s in team_states().items() if s != "BREAK"]
    if not_break:
        fail(f"{len(not_break)} agents not on BREAK before the callers (e.g. {not_break[:5]})")
    samples = list(tokens)[:args.samples]
    for ext in samples:
        cli(f"queue add member PJSIP/{ext} to benchq")
        cli(f"queue pause member PJSIP/{ext} queue benchq")
    paused = cli("queue show benchq").count("(paused")
    if paused < len(samples):
        fail(f"app_queue: only {paused} of {len(samples)} members paused before the callers")
    load_before = open("/proc/loadavg").read().split()[:3]
    loop = asyncio.get_running_loop()
    result = {"loadavg_before": load_before, "phases": []}

    carrier_b = Callers("127.0.0.6", "127.0.0.1", 30000, 10)
    await carrier_b.start()
    figures, calls = await hold(carrier_b, "MusicOnHold()", "moh", check_channels("MusicOnHold"))
    await carrier_b.hang_up(calls)
    result["phases"].append(figures)
    await asyncio.sleep(5)

    figures, calls = await hold(carrier_b, "app_queue", "queue", check_channels("Queue"))
    since = time.time()
    figures["ring"] = await loop.run_in_executor(None, ring, "app_queue", samples, unpause, since - 120)
    await carrier_b.hang_up(calls)
    result["phases"].append(figures)
    await asyncio.sleep(5)

    carrier = Callers("127.0.0.2", "127.0.0.1", 32000, 10)
    await carrier.start()
    figures, calls = await hold(carrier, "ARI queue", "+15550100", check_queue)
    since = time.time()
    figures["ring"] = await loop.run_in_executor(None, ring, "ARI queue", samples, app_available(tokens), since)
    logged_available(figures["ring"], since)
    figures["answered_after_ring"] = int(sql(
        f"select count(*) from queue_event where queue_id = '{args.queue}' and event = 'answered'"))
    await carrier.hang_up(calls)
    result["phases"].append(figures)
    result["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    report(result)


def report(r):
    phases = r["phases"]
    base = phases[0]
    print(f"{args.callers} callers held {base['window_s']:.0f} s per phase; load average before "
          f"{' '.join(r['loadavg_before'])}, after {' '.join(r['loadavg_after'])}")
    print(f"{'':36}" + "".join(f"{p['phase']:>15}" for p in phases) + f"{'ARI/app_queue':>15}")

    def row(label, value, ratio=True, digits=1):
        values = [value(p) for p in phases]
        tail = f"{values[2] / values[1]:>15.2f}" if ratio and values[1] else ""
        print(f"{label:36}" + "".join(f"{v:>15.{digits}f}" if isinstance(v, float) else f"{v:>15}" for v in values)
              + tail)
    row("Asterisk CPU (% of one core)", lambda p: p["cpu"]["asterisk"])
    row("Asterisk CPU, busiest second", lambda p: p["cpu_max_1s"]["asterisk"])
    row("app CPU (% of one core)", lambda p: p["cpu"]["app"], ratio=False)
    row("app CPU, busiest second", lambda p: p["cpu_max_1s"]["app"], ratio=False)
    row("callers' own CPU (the stand-in)", lambda p: p["cpu"]["callers"], ratio=False)
    row("Asterisk RSS (MiB)", lambda p: p["rss_mib"]["asterisk"])
    row("app RSS / heap used (MiB)", lambda p: f"{p['rss_mib']['app']} / {p['app_heap_used_mib']}", ratio=False)
    row("RTP received / expected, min", lambda p: p["rtp_share_min"], ratio=False, digits=3)
    row("RTP received / expected, median", lambda p: p["rtp_share_p50"], ratio=False, digits=3)
    row("callers under 90% of the RTP", lambda p: p["callers_below_share"], ratio=False)
    row("RTP sequence gaps, all callers", lambda p: p["gaps_total"], ratio=False)
    row("sampled callers: RMS median, lowest", lambda p: round(min(a["rms_median"] for a in p["sampled"])), ratio=False)
    row("sampled: loud seconds, lowest %", lambda p: round(100 * min(a["loud_share"] for a in p["sampled"])),
        ratio=False)
    print(f"app CPU per waiting caller (ARI queue minus MusicOnHold()): "
          f"{(phases[2]['cpu']['app'] - base['cpu']['app']) / args.callers * 10:.2f} ms per second")
    for p in phases[1:]:
        sent = [(x["rung"] - x["sent"]) * 1000 for x in p["ring"]]
        accepted = [(x["rung"] - x["accepted"]) * 1000 for x in p["ring"]]
        print(f"{p['phase']}: available -> phone ringing, {len(sent)} agents one at a time (ms): from the request "
              f"p50 {pct(sent, 50):.0f} p99 {pct(sent, 99):.0f} max {max(sent):.0f}; from its answer p50 "
              f"{pct(accepted, 50):.0f} p99 {pct(accepted, 99):.0f}")
    logged = [(x["rung"] - x["logged"]) * 1000 for x in phases[2]["ring"] if x.get("logged")]
    if logged:
        print(f"ARI queue: from the AVAILABLE row of agent_state_event (ms): p50 {pct(logged, 50):.0f} "
              f"p99 {pct(logged, 99):.0f} ({len(logged)} rows); callers answered by those agents (queue log): "
              f"{phases[2]['answered_after_ring']}")


asyncio.run(main())
