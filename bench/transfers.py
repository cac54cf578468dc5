#!/usr/bin/env python3
"""Transfers phase of `make bench`: N dialer attempts answered by people within one second and transferred into our
SIP trunk, each to an agent. The script is Telnyx for the app: a stand-in for Call Control (the app's dials,
transfers and hangups over HTTP) that sends webhooks signed with Ed25519 as Telnyx does, and the carrier that
places each transfer's INVITE to sip:attempt-<id>@Asterisk from the carrier's address the moment the app asks for
the transfer (bench/sipcallers.py).

What it does: N load agents AVAILABLE (else it refuses), a PROGRESSIVE campaign of N leads switched on; each dial
is acknowledged with call.initiated; once N dials are in (all N agents' worth) and the phones have rung 3 s, the N
calls are answered within one second (call.answered, then premium detection's human_residence), and each transfer command is carried out at once.
Reported: how many people reached an agent (of N) and the errors; p50/p99 from each person's human verdict (the
webhook's sending) to their agent's phone ringing, the figure the safe-harbor rule bounds (1.2 s after the verdict,
whose 2 s start 0.8 s before it); the spread of the N transfer INVITEs, p50/p99 from each INVITE to its agent's
phone ringing (the agent's SIPp logs the caller's number) and to the attempt CONNECTED (its transition in the
database), and the app's RSS
(peak, sampled) and heap (after the phase).

Refuses to print figures (exit 1) unless every webhook was acknowledged 200, every dial was answered and
transferred, every INVITE was answered by Asterisk, every agent's phone rang for its own person and every attempt
reached CONNECTED: anything less did not measure what it claims.

Usage: transfers.py <app base url> <manager> <password> <count> <agents log glob> <stand-in port> <private key PEM>
                    <psql dsn> <app pid> <timeout s>
"""
import asyncio
import base64
import concurrent.futures
import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import wave
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import http, invites_by_caller, pct  # noqa: E402
from sipcallers import Callers  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

base, manager, password, count, agents_glob, port, key_file, dsn, app_pid, timeout = sys.argv[1:11]
count, port, timeout = int(count), int(port), float(timeout)
with open(key_file, "rb") as f:
    KEY = serialization.load_pem_private_key(f.read(), password=None)
SAFE_HARBOR = ("Sorry we missed you. Psychology practice, call us back on 555 0100. "
               "Press 9 to be put on our do-not-call list.")
RING_SECONDS = 3
webhooks = concurrent.futures.ThreadPoolExecutor(32)
dials, transfers, calls, faults = {}, {}, {}, []      # ccid -> dial; ccid -> transfer epoch; ccid -> SIP call
verdicts = {}                                          # ccid -> when detection's human verdict was sent
all_dialled = asyncio.Event()


def deliver(dial, event_type, payload_extra):
    """Signs and posts one webhook as Telnyx would; a non-200 answer is a fault of the run."""
    payload = {"call_control_id": dial["ccid"], "call_leg_id": "leg-" + dial["ccid"], "call_session_id": "s-" + dial["ccid"],
               "connection_id": "bench", "client_state": dial["state"], "from": dial["from"], "to": dial["to"],
               "direction": "outgoing", **payload_extra}
    body = json.dumps({"data": {"record_type": "event", "event_type": event_type, "id": str(uuid.uuid4()),
                                "occurred_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                "payload": payload},
                       "meta": {"attempt": 1, "delivered_to": base + "/webhooks/telnyx"}}).encode()
    timestamp = str(int(time.time()))
    signature = base64.b64encode(KEY.sign(timestamp.encode() + b"|" + body)).decode()
    request = urllib.request.Request(base + "/webhooks/telnyx", data=body, method="POST", headers={
        "Content-Type": "application/json", "telnyx-timestamp": timestamp, "telnyx-signature-ed25519": signature})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = str(e)
    if status != 200:
        faults.append(f"{event_type} for {dial['ccid']}: {status}")


async def webhook(dial, event_type, extra=None):
    await asyncio.get_running_loop().run_in_executor(webhooks, deliver, dial, event_type, extra or {})


async def answer_all():
    """Once every dial is in: the N people answer within one second, each a human by premium detection."""
    async def one(i, dial):
        await asyncio.sleep(max(0.0, start + i / count - time.time()))
        await webhook(dial, "call.answered")
        verdicts[dial["ccid"]] = time.time()
        await webhook(dial, "call.machine.premium.detection.ended", {"result": "human_residence"})
    await all_dialled.wait()
    # The phones ring a while before anyone answers (Telnyx reports call.initiated at once): the app has had the
    # time to take every dial's call.initiated before the answers, as it would with real people.
    start = time.time() + RING_SECONDS
    await asyncio.gather(*(one(i, d) for i, d in enumerate(list(dials.values()))))


async def command(method, path, body):
    """Call Control: POST /v2/calls (dial), POST /v2/calls/{id}/actions/{transfer|hangup|speak}."""
    if method == "POST" and path == "/v2/calls":
        ccid = "v3:" + str(uuid.uuid4())
        dial = {"ccid": ccid, "state": body.get("client_state"), "from": body.get("from"), "to": body.get("to")}
        dials[ccid] = dial
        asyncio.ensure_future(webhook(dial, "call.initiated", {"state": "bridging"}))
        if len(dials) >= count:
            all_dialled.set()
        return 200, {"data": {"call_control_id": ccid, "call_leg_id": str(uuid.uuid4()),
                              "call_session_id": str(uuid.uuid4()), "record_type": "call"}}
    match = re.fullmatch(r"/v2/calls/([^/]+)/actions/(\w+)", path)
    if method == "GET" and path.startswith("/v2/calls/"):
        return 200, {"data": {"call_control_id": path.split("/")[3], "record_type": "call", "is_alive": True}}
    if not match:
        return 404, {"errors": [{"code": "10005", "title": "Resource not found"}]}
    ccid, action = urllib.parse.unquote(match.group(1)), match.group(2)
    if action == "transfer" and ccid in dials and ccid not in transfers:
        transfers[ccid] = time.time()
        target = re.match(r"sip:([^@]+)@", body.get("to", ""))
        calls[ccid] = await carrier.call(target.group(1))
    elif action != "transfer":
        faults.append(f"{action} for {ccid}: the app gave up on the person")
    return 200, {"data": {"result": "ok"}}


async def serve(reader, writer):
    """HTTP/1.1 with keep-alive, enough for the app's java.net.http client."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
            raw = await reader.readexactly(int(headers.get("content-length", "0")))
            status, answer = await command(method, path.split("?")[0], json.loads(raw or b"{}"))
            payload = json.dumps(answer).encode()
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}"
                         f"\r\n\r\n".encode() + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


def rss_sampler(peak, stop):
    while not stop.is_set():
        try:
            with open(f"/proc/{app_pid}/status") as f:
                kib = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
            peak[0] = max(peak[0], kib)
        except (OSError, AttributeError):
            pass
        stop.wait(0.2)


def psql(sql):
    return subprocess.run(["psql", dsn, "-tA", "-F", " ", "-c", sql], capture_output=True, text=True, check=True).stdout


async def main():
    global carrier
    status, login = http(base, "POST", "/api/auth/login", {"username": manager, "password": password})
    if status != 200:
        sys.exit(f"INVALID RUN: manager login failed ({status}): {login}")
    token = login["token"]
    status, agents = http(base, "GET", "/api/team/agents", token=token)
    load = [a for a in agents if a["extension"].startswith("2")]
    ready = [a for a in load if a["state"] == "AVAILABLE"]
    if len(ready) < count or len(ready) != len(load):
        sys.exit(f"INVALID RUN: {len(ready)} of {len(load)} load agents available before the run, {count} needed")
    # RTP ports below the kernel's ephemeral range (32768-60999), above Asterisk's (10000-20000).
    carrier = Callers("127.0.0.2", "127.0.0.1", 22000, 1_000_000)
    await carrier.start()
    server = await asyncio.start_server(serve, "127.0.0.1", port)
    answering = asyncio.ensure_future(answer_all())
    numbers = ["+1212555%04d" % (1000 + i) for i in range(count)]
    status, campaign = http(base, "POST", "/api/campaigns", {
        "name": "bench transfers %d" % time.time(), "dialRatio": "PROGRESSIVE", "safeHarborMessage": SAFE_HARBOR,
        "callingHours": {"start": "00:00", "end": "23:59"}}, token)
    if status != 201:
        sys.exit(f"INVALID RUN: campaign not created ({status}): {campaign}")
    campaign = campaign["campaign"]
    csv = "phone,name,external_id\n" + "".join(f"{n},Lead {i},bench-{i}\n" for i, n in enumerate(numbers))
    request = urllib.request.Request(f"{base}/api/campaigns/{campaign['id']}/leads", data=csv.encode(), method="POST",
                                     headers={"Content-Type": "text/csv", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=60) as response:
        imported = json.loads(response.read())
    if imported.get("created") != count:
        sys.exit(f"INVALID RUN: {imported.get('created')} of {count} leads imported: {imported}")
    # A campaign is switched on only with its safe-harbor message recorded (8 kHz mono WAV): 4 s of a 600 Hz tone.
    tone = io.BytesIO()
    with wave.open(tone, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 600 * n / 8000))) for n in range(32000)))
    request = urllib.request.Request(f"{base}/api/campaigns/{campaign['id']}/safe-harbor-audio", data=tone.getvalue(),
                                     method="PUT", headers={"Content-Type": "audio/wav", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=60):
        pass
    peak, stop = [0], threading.Event()
    threading.Thread(target=rss_sampler, args=(peak, stop), daemon=True).start()
    since = time.time()
    status, body = http(base, "PUT", f"/api/campaigns/{campaign['id']}/enabled", {"enabled": True, "confirm": True}, token)
    if status != 200:
        sys.exit(f"INVALID RUN: campaign not switched on ({status}): {body}")
    deadline = time.time() + timeout
    while time.time() < deadline and not (len(calls) >= count and all(c.state in ("answered", "failed") for c in calls.values())
                                          and len(invites_by_caller(agents_glob, since)) >= count):
        await asyncio.sleep(0.5)
    await asyncio.sleep(1)
    http(base, "PUT", f"/api/campaigns/{campaign['id']}/enabled", {"enabled": False}, token)
    rang = invites_by_caller(agents_glob, since)
    connected = {row.split()[0]: float(row.split()[1]) for row in psql(
        "select a.id, extract(epoch from min(e.occurred_at)) from dial_attempt a join dial_attempt_event e "
        f"on e.attempt_id = a.id where a.campaign_id = '{campaign['id']}' and e.to_state = 'CONNECTED' group by a.id"
    ).split("\n") if row.strip()}
    measured_faults = list(faults)
    failed = [c for c in calls.values() if c.state != "answered"]
    # The people hang up; Telnyx reports the end of each call.
    await carrier.hang_up(list(calls.values()))
    await asyncio.gather(*(webhook(d, "call.hangup", {"hangup_cause": "normal_clearing", "hangup_source": "callee"})
                           for d in dials.values()))
    stop.set()
    heap = subprocess.run([os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jcmd"), app_pid, "GC.heap_info"], capture_output=True, text=True).stdout
    heap_used = re.search(r"used (\d+)K", heap)
    answering.cancel()
    server.close()

    invites = sorted(c.placed_at for c in calls.values())
    spread = invites[-1] - invites[0] if invites else float("nan")
    to_ring, to_connected, verdict_to_ring = [], [], []
    for ccid, call in calls.items():
        attempt = base64.b64decode(dials[ccid]["state"]).decode()
        hit = rang.get(dials[ccid]["to"].lstrip("+"))
        if hit:
            to_ring.append((hit[1] - call.placed_at) * 1000)
            if ccid in verdicts:
                verdict_to_ring.append((hit[1] - verdicts[ccid]) * 1000)
        if attempt in connected:
            to_connected.append((connected[attempt] - call.placed_at) * 1000)
    print(f"transfers: {len(dials)} dials, answered within one second, {len(transfers)} transfers asked, "
          f"{len(calls)} INVITEs over {spread:.2f} s; answered by Asterisk {len(calls) - len(failed)}, agents rung "
          f"{len(to_ring)}, attempts CONNECTED {len(to_connected)}; webhook or command faults {len(measured_faults)}")
    print(f"people who reached an agent: {min(len(to_ring), len(to_connected))}/{count}; errors "
          f"{len(measured_faults) + len(failed)}")
    # Where a person's webhooks waited: the intake (occurred -> received) or the dialer's applier and lane (received ->
    # applied). Printed on every run, a refused one too: it is what says which side to work on.
    for row in psql(
            "select event_type, count(*), " + ", ".join(
                f"round(percentile_cont({q}) within group (order by extract(epoch from {b} - {a}) * 1000))"
                for a, b in (("occurred_at", "received_at"), ("received_at", "applied_at")) for q in (0.5, 0.99))
            + " from telnyx_inbox where event_type in ('call.answered', 'call.machine.premium.detection.ended') "
              "and applied_at is not null group by event_type").split("\n"):
        if row.strip():
            kind, n, r50, r99, a50, a99 = row.split()
            print(f"  inbox {kind} x{n}: occurred -> received p50 {r50} p99 {r99} ms; received -> applied p50 {a50} "
                  f"p99 {a99} ms")
    if measured_faults or len(dials) < count or len(calls) < count or failed or len(to_ring) < count or len(to_connected) < count:
        kinds = {}
        for fault in measured_faults:
            kind = re.sub(r"v3:\S+", "<call>", fault)
            kinds[kind] = kinds.get(kind, 0) + 1
        for kind, n in sorted(kinds.items(), key=lambda k: -k[1])[:5]:
            print(f"  fault x{n}: {kind}")
        print("  attempts by state: " + psql(
            f"select state || ' ' || coalesce(detail, '') || ': ' || count(*) from dial_attempt where campaign_id = "
            f"'{campaign['id']}' group by state, detail").strip().replace("\n", "; "))
        for call in failed[:5]:
            print(f"  INVITE to {call.number}: {call.state} {call.final_status}")
        print("INVALID RUN: not every answered person was transferred, rang an agent and was connected")
        sys.exit(1)
    # The person's 2 s (the safe-harbor rule) run from the end of their greeting, 0.8 s before this verdict.
    print(f"human verdict webhook sent -> agent's phone ringing (ms): p50 {pct(verdict_to_ring, 50):.0f}  "
          f"p99 {pct(verdict_to_ring, 99):.0f}  max {max(verdict_to_ring):.0f}  (the rule allows 1200)")
    print(f"transfer INVITE -> agent's phone ringing (ms): p50 {pct(to_ring, 50):.0f}  p99 {pct(to_ring, 99):.0f}  "
          f"max {max(to_ring):.0f}")
    print(f"transfer INVITE -> attempt CONNECTED (ms): p50 {pct(to_connected, 50):.0f}  p99 {pct(to_connected, 99):.0f}  "
          f"max {max(to_connected):.0f}")
    print(f"app RSS peak {peak[0] / 1024:.0f} MiB; heap used after the phase "
          f"{int(heap_used.group(1)) / 1024 if heap_used else float('nan'):.0f} MiB; faults while ending the calls "
          f"{len(faults) - len(measured_faults)}")


carrier = None
asyncio.run(main())
