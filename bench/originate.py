#!/usr/bin/env python3
"""Origination phase of `make bench`: N agents click to dial within one second (a manager's token, one
POST /api/calls per agent, spread evenly over the second), then the time from each click to that agent's phone
ringing (the INVITE logged by the agent's SIPp, bench/sipp/agent-uas.xml) is reported as p50/p99.

Refuses to print figures (exit 1) unless every click was accepted and every agent's phone rang and every call
reached the carrier: anything less did not measure what it claims.

Usage: originate.py <app base url> <manager> <password> <count> <agents log glob> <carrier log> <timeout s>
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import http, invites as logged_invites, pct  # noqa: E402

base, manager, password, count, agents_glob, carrier_log, timeout = sys.argv[1:8]
count, timeout = int(count), float(timeout)


def call(method, path, body=None, token=None):
    return http(base, method, path, body, token)


def invites(pattern, since):
    """extension -> first INVITE epoch at or after since."""
    first = {}
    for extension, at in sorted(logged_invites(pattern, since), key=lambda hit: hit[1]):
        first.setdefault(extension, at)
    return first


status, login = call("POST", "/api/auth/login", {"username": manager, "password": password})
if status != 200:
    sys.exit(f"INVALID RUN: manager login failed ({status}): {login}")
token = login["token"]
status, agents = call("GET", "/api/team/agents", token=token)
load = sorted((a for a in agents if a["extension"].startswith("2")), key=lambda a: a["extension"])[:count]
if len(load) < count:
    sys.exit(f"INVALID RUN: only {len(load)} load agents, {count} needed")
not_ready = [a["extension"] for a in load if a["state"] != "AVAILABLE"]
if not_ready:
    sys.exit(f"INVALID RUN: {len(not_ready)} agents not available before the run (e.g. {not_ready[:5]})")

clicks, answers = {}, {}
start = time.time() + 0.5


def click(i, agent):
    time.sleep(max(0.0, start + i / count - time.time()))
    clicks[agent["extension"]] = time.time()
    answers[agent["extension"]] = call("POST", "/api/calls",
                                       {"number": "+1212555%04d" % (1000 + i), "agentId": agent["agentId"]}, token)


threads = [threading.Thread(target=click, args=(i, a)) for i, a in enumerate(load)]
for t in threads:
    t.start()
for t in threads:
    t.join()
deadline = time.time() + timeout
while time.time() < deadline:
    rang = invites(agents_glob, start - 1)
    out = invites(carrier_log, start - 1)
    if len(rang) >= count and len(out) >= count:
        break
    time.sleep(0.5)
rang = {ext: at for ext, at in invites(agents_glob, start - 1).items() if ext in clicks}
out = invites(carrier_log, start - 1)
refused = {ext: a for ext, a in answers.items() if a[0] != 202}
spread = max(clicks.values()) - min(clicks.values())
latencies = sorted((rang[ext] - clicks[ext]) * 1000 for ext in rang)


print(f"originations: {count} clicks in {spread:.2f} s; accepted {count - len(refused)}, agents rung {len(rang)}, "
      f"calls reaching the carrier {len(out)}")
if refused or len(rang) < count or len(out) < count:
    for ext, (code, body) in list(refused.items())[:5]:
        print(f"  refused {ext}: {code} {str(body)[:200]}")
    print("INVALID RUN: not every click rang its agent and reached the carrier")
    sys.exit(1)
print(f"click -> agent's phone ringing (ms): p50 {pct(latencies, 50):.0f}  p99 {pct(latencies, 99):.0f}  "
      f"max {latencies[-1]:.0f}")
