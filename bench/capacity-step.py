"""Figures of one capacity step (bench/capacity.sh), or the summary of all steps.

  capacity-step.py <out-prefix> <path> <calls> <hold-s> <clock-ticks-per-s> <peak-from-s>  -> a line, <out>.json
  capacity-step.py --jitter <out-prefix> <carrier-address>                     -> <out>.jitter (during the peak)
  capacity-step.py --summary <steps-file> <path>:<highest-clean>:<first-unclean> ...  (dialplan first)

A step is clean when every call completed, on time (under 5 s late), and at least 99% of the expected RTP packets
reached each end during the peak (every call up). The whole step's share is shown too: it also counts each call's
first moments, before both parties are bridged. It is INVALID (no figures) when what it measured is not
what it claims: the app or Asterisk died or stopped answering its health during the step, fewer agents' phones
rang than calls completed (an announcement answered), fewer recordings than calls completed, hardly any media flowed, or the carrier itself sent under 95% of its packets. Expected packets at
each end are those the carrier sent (the agent's phone echoes them).
"""
import csv
import json
import os
import re
import sys
import socket
import struct
import time

PACKETS_PER_SECOND = 50  # PCMU in 20 ms packets
CLEAN = 0.99
SO_TIMESTAMPNS = 35
ASTERISK = bytes([127, 0, 0, 1])  # packets to Asterisk are neither end's
RIG_SENDS = 0.95  # below this the stand-in carrier, not Asterisk, is the limit


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def sample(path):
    values = read(path).split()
    counters = [int(v) for v in values[:4]]
    ast, app, pg = (int(v) for v in values[4:7])
    return counters, (ast, app, pg), float(values[7])


def rtds(path):
    """Setup times, call lengths (ms), and when the last call was answered (s after SIPp started)."""
    setup, length, last_answer = [], [], 0.0
    with open(path) as f:
        for row in csv.reader(f, delimiter=";"):
            try:
                at, value, number = float(row[0]), float(row[1]), row[2].strip()
            except (ValueError, IndexError):
                continue
            (setup if number == "1" else length).append(value)
            if number == "1":
                last_answer = max(last_answer, at / 1000)
    return sorted(setup), sorted(length), last_answer


def pct(values, p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def sample_jitter(out, carrier, seconds="3"):
    """At the peak: RFC 3550 interarrival jitter (ms) of every RTP stream that reaches the carrier or an agent,
    from the kernel's receive timestamps on the loopback interface (the receiving end's view, as a phone computes
    it for its RTCP reports; neither SIPp nor Asterisk reports it here)."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    sock.bind(("lo", 0))
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.settimeout(0.5)
    streams = {}  # (src, sport, dst, dport) -> [last arrival s, last rtp timestamp, jitter in timestamp units]
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        try:
            frame, ancillary, _, address = sock.recvmsg(256, 64)
        except socket.timeout:
            continue
        # Loopback shows each packet leaving and arriving: the arrival only; 200-byte IP packets are PCMU/20 ms.
        if address[2] != socket.PACKET_HOST or len(frame) < 54 or frame[23] != 17 or frame[16:18] != b"\x00\xc8":
            continue
        arrival = next((struct.unpack("qq", data[:16]) for level, kind, data in ancillary if kind == SO_TIMESTAMPNS), None)
        if arrival is None:
            continue
        arrival = arrival[0] + arrival[1] / 1e9
        key = frame[26:38]
        timestamp = struct.unpack("!I", frame[46:50])[0]
        state = streams.get(key)
        if state is not None:
            transit_change = (arrival - state[0]) * 8000 - ((timestamp - state[1]) & 0xFFFFFFFF)
            state[2] += (abs(transit_change) - state[2]) / 16
            state[0], state[1] = arrival, timestamp
        else:
            streams[key] = [arrival, timestamp, 0.0]
    carrier_ip = socket.inet_aton(carrier)
    agents, carriers = [], []
    for key, (_, _, value) in streams.items():
        if key[4:8] == carrier_ip:
            carriers.append(value / 8)  # 8 timestamp units a millisecond
        elif key[4:8] != ASTERISK:
            agents.append(value / 8)
    with open(out + ".jitter", "w") as f:
        json.dump({"agents": agents, "carriers": carriers}, f)


def jitter(out):
    try:
        with open(out + ".jitter") as f:
            sampled = json.load(f)
    except (OSError, ValueError):
        return [], []
    return sorted(sampled["agents"]), sorted(sampled["carriers"])


def bridges(text):
    """Bridges by technology (`bridge show all`): simple_bridge, native_rtp, softmix ..."""
    counts = {}
    for line in text.splitlines():
        tokens = line.split()
        chans = next((i for i, token in enumerate(tokens[1:], 1) if token.isdigit()), None)
        if chans is not None and len(tokens) > chans + 2:
            counts[tokens[chans + 2]] = counts.get(tokens[chans + 2], 0) + 1
    return " ".join(f"{tech}:{n}" for tech, n in sorted(counts.items())) or "-"


def channel_kinds(text):
    """Channels by technology (`core show channels concise`: name!context!...): PJSIP, Recorder, Announcer ..."""
    counts = {}
    for line in text.splitlines():
        name = line.split("!", 1)[0]
        if "!" in line and "/" in name:
            kind = name.split("/", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
    return " ".join(f"{kind}:{n}" for kind, n in sorted(counts.items())) or "-"


def heap_mb(text):
    g1 = re.search(r"garbage-first heap\s+total (?:reserved )?(\d+)K, (?:committed \d+K, )?used (\d+)K", text)
    if g1:
        return int(g1.group(2)) / 1024
    used = [int(v) for v in re.findall(r"generation\s+total \d+K, used (\d+)K", text)]
    if used:
        return sum(used) / 1024
    z = re.search(r"used (\d+)M", text)
    return float(z.group(1)) if z else float("nan")


def step(out, path, calls, hold, ticks, peak_from):
    calls, hold, ticks, peak_from = int(calls), int(hold), int(ticks), int(peak_from)
    rc = read(out + ".rc", "1").strip()
    log = read(out + ".log")
    successful = re.findall(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", log)
    failed = re.findall(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", log)
    completed = int(successful[-1]) if successful else 0
    failures = int(failed[-1]) if failed else calls - completed
    (c0, cpu0, t0), (c1, cpu1, t1) = sample(out + ".peak-start"), sample(out + ".peak-end")
    seconds = t1 - t0
    expected_peak = calls * PACKETS_PER_SECOND * seconds
    peak = [(b - a) for a, b in zip(c0, c1)]  # carrier sent, carrier received, agents received, agents echoed
    total = [int(v) for v in read(out + ".total").split()]
    expected_total = calls * PACKETS_PER_SECOND * hold
    setup, length, last_answer = rtds(out + ".rtt") if os.path.exists(out + ".rtt") else ([], [], float("inf"))
    late = [max(0.0, v / 1000 - hold) for v in length]
    agents_jitter, carrier_jitter = jitter(out)
    rung, recordings, alive = (int(v) for v in (read(out + ".checks", "0 0 0").split() + ["0"])[:3])
    cores = [(b - a) / ticks / seconds for a, b in zip(cpu0, cpu1)]
    figures = {
        "path": path, "calls": calls, "completed": completed, "failed": failures, "sipp_rc": rc,
        # Expected at each end: what the carrier sent (the agent echoes it back); the carrier's own sending
        # against the nominal 50 packets a second says whether the rig kept up.
        "carrier_peak": peak[1] / max(1, peak[0]), "agent_peak": peak[2] / max(1, peak[0]),
        "carrier_total": total[1] / max(1, total[0]), "agent_total": total[2] / max(1, total[0]),
        "sent_peak": peak[0] / expected_peak, "sent_total": total[0] / expected_total,
        "jitter_agents_p50": pct(agents_jitter, 50), "jitter_agents_max": agents_jitter[-1] if agents_jitter else float("nan"),
        "jitter_carrier_p50": pct(carrier_jitter, 50), "jitter_carrier_max": carrier_jitter[-1] if carrier_jitter else float("nan"),
        "jitter_streams": len(agents_jitter) + len(carrier_jitter),
        "last_answer_s": last_answer, "setup_p50": pct(setup, 50), "setup_p99": pct(setup, 99), "late_p99": pct(late, 99), "late_max": max(late, default=float("nan")),
        "cores_asterisk": cores[0], "cores_app": cores[1], "cores_postgres": cores[2],
        "heap_mb": heap_mb(read(out + ".heap")), "rss_mb": int(read(out + ".rss", "0").strip() or 0) / 1024,
        "channels": read(out + ".channels").strip(), "channel_kinds": channel_kinds(read(out + ".channel-list")), "bridges": bridges(read(out + ".bridges")), "rung": rung, "recordings": recordings,
        "load_peak": read(out + ".load-peak").split("load average:")[-1].strip(),
    }
    # Against the calls that completed: a call that failed (unclean) may never have reached an agent or a recorder.
    if not alive:
        verdict = "INVALID:the-app-or-Asterisk-died-during-the-step"
    elif rung < completed:
        verdict = f"INVALID:only-{rung}-agents-rang-for-{completed}-completed-calls"
    elif recordings < completed:
        verdict = f"INVALID:only-{recordings}-recordings-for-{completed}-completed-calls"
    elif figures["agent_peak"] < 0.1 or figures["carrier_peak"] < 0.1:
        verdict = "INVALID:media-not-flowing"
    elif figures["sent_peak"] < RIG_SENDS:
        verdict = f"INVALID:the-carrier-sent-only-{figures['sent_peak']:.0%}-of-its-RTP"
    elif last_answer > peak_from:
        # Not every call was up during "the peak": the path could not set N calls up in time.
        verdict = f"unclean:last-call-answered-at-{last_answer:.0f}s"
    elif (rc == "0" and failures == 0 and completed == calls and figures["late_max"] < 5
          and min(figures["carrier_peak"], figures["agent_peak"]) >= CLEAN):
        verdict = "clean"
    else:
        verdict = "unclean"
    figures["verdict"] = verdict
    with open(out + ".json", "w") as f:
        json.dump(figures, f)
    f = figures
    print(f"{path:8} {calls:4} calls: completed {completed}, failed {failures}, late p99/max {f['late_p99']:.1f}/{f['late_max']:.1f} s, last answered at {last_answer:.0f} s, setup p50/p99 {f['setup_p50']:.0f}/{f['setup_p99']:.0f} ms; "
          f"RTP at carrier peak/total {f['carrier_peak']:.1%}/{f['carrier_total']:.1%}, at agents {f['agent_peak']:.1%}/{f['agent_total']:.1%} "
          f"(of what the carrier sent: {f['sent_peak']:.1%}/{f['sent_total']:.1%} of nominal); jitter p50/max at carrier {f['jitter_carrier_p50']:.1f}/{f['jitter_carrier_max']:.1f} ms, at agents {f['jitter_agents_p50']:.1f}/{f['jitter_agents_max']:.1f} ms; "
          f"cores Asterisk/app/PostgreSQL {f['cores_asterisk']:.2f}/{f['cores_app']:.2f}/{f['cores_postgres']:.2f}; "
          f"app heap {f['heap_mb']:.0f} MB RSS {f['rss_mb']:.0f} MB; channels {f['channels']} ({f['channel_kinds']}), bridges {f['bridges']}; "
          f"recordings {recordings}; load {f['load_peak']}; {verdict}")


def summary(steps_file, *paths):
    """Each path's capacity (highest clean step below its first unclean one; ">=" when no step was unclean) and
    each ARI path's ratio to Dial()+MixMonitor's; none for a path with a refused (INVALID) step."""
    print(read(steps_file), end="")
    capacity = {}
    for spec in paths:
        path, highest, stopped, refused = (spec.split(":", 3) + [""])[:4]
        capacity[path] = (int(highest), stopped, refused)
    base = capacity.get("dialplan", (0, "", ""))
    for path, (highest, stopped, refused) in capacity.items():
        if refused:
            print(f"capacity: {path} REFUSED at {refused} (no figure)")
            continue
        shown = ("" if stopped else ">=") + str(highest)
        ratio = ""
        if path != "dialplan":
            # A path whose highest step was clean may do more (>=); Dial() not stopped may too, so the ratio <=.
            bound = "" if stopped and base[1] else ">=" if base[1] else "<=" if stopped else "? "
            ratio = ", ratio to Dial() n/a (Dial() refused or never clean)" if base[2] or not base[0] \
                else f", ratio to Dial() {bound}{highest / base[0]:.2f}"
        print(f"capacity (highest clean step, >= {CLEAN:.0%} of RTP at both ends): {path} {shown}{ratio}")


if __name__ == "__main__":
    if sys.argv[1] == "--jitter":
        sample_jitter(*sys.argv[2:4])
    elif sys.argv[1] == "--summary":
        summary(*sys.argv[2:])
    else:
        step(*sys.argv[1:7])
