#!/usr/bin/env python3
"""One inbound call's path through the app, from the carrier channel's StasisStart to the caller's answer (the
200 OK the carrier measures), out of an app.log written with BENCH_TRACE=1 (bench/README.md, "Tracing one call").

Usage: bench/trace-call.py .run/bench/app.log [n]   (n: the n-th inbound call of the log, default 5: warmed up)
Prints every line of that call in order with milliseconds since its StasisStart reached the app: ARI events
received, commands sent, ARI round trips with their durations, SQL statements on the call's lane threads; then
where the time went."""
import re
import sys
from datetime import datetime

LINE = re.compile(r'^(\S+T\S+)\s+(\w+)\s+\d+ --- \[[^\]]*\] \[\s*([^\]]*)\] (\S+)\s*: (.*)$')


def parse(path):
    entries = []
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if m:
            at = datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
            entries.append((at, m.group(3).strip(), m.group(4), m.group(5)))
    return entries


def main():
    entries = parse(sys.argv[1])
    nth = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    starts = [i for i, e in enumerate(entries)
              if '"type":"StasisStart"' in e[3] and '"args":["inbound"' in e[3]]
    if len(starts) < nth:
        sys.exit(f"only {len(starts)} inbound calls in the log")
    first = starts[nth - 1]
    caller = re.search(r'"channel":\{"id":"([^"]+)"', entries[first][3]).group(1)
    t0 = entries[first][0]
    ids, threads, end = {caller}, set(), None
    shown = []
    for at, thread, logger, message in entries[first:]:
        if end is not None:
            break
        mentions = any(i in message for i in ids)
        # The call's first line on its lane ("call <id> INBOUND: -> ROUTING") names the call and its lane thread:
        # the lane's SQL and the agent's channel (named only with the call id) belong to it from the start.
        routing = re.match(r'call (\S+) INBOUND: -> ROUTING', message)
        if routing and not threads and logger.endswith(".Call"):
            threads.add(thread)
            ids.add(routing.group(1))
            mentions = True
        if logger.endswith("GatewayCommands") and mentions:
            threads.add(thread)
            leg = re.search(r'CreateChannel\[callId=([^,]+), channelId=([^,]+)', message)
            if leg:
                ids.update({leg.group(1), leg.group(2), "call-" + leg.group(1)})
        if logger.endswith("JdkAriTransport") and f"/channels/{caller}/answer" in message:
            end = at
        on_lane = thread in threads and "LoggerListener" in logger
        if mentions or on_lane:
            shown.append((at, thread, logger.split(".")[-1], message))
    if end is None:
        sys.exit("the caller's answer was not found after its StasisStart")
    ari_us, sql, previous = 0, 0, t0
    for at, thread, logger, message in shown:
        ms = (at - t0).total_seconds() * 1000
        gap = (at - previous).total_seconds() * 1000
        previous = at
        text = message
        if logger == "AriEventStream":
            kind = re.search(r'"type":"([^"]+)"', message)
            text = "event " + (kind.group(1) if kind else "?")
        elif logger == "LoggerListener":
            sql += message.startswith("Executing query") or message.startswith("Executing batch")
            text = message[:150]
        elif logger == "JdkAriTransport":
            took = re.search(r'in (\d+) us', message)
            ari_us += int(took.group(1)) if took else 0
        print(f"{ms:8.1f} ms (+{gap:6.1f}) {thread[:14]:14} {logger:16} {text[:160]}")
    total = (end - t0).total_seconds() * 1000
    print(f"\nStasisStart -> caller answered: {total:.1f} ms; ARI round trips {ari_us / 1000:.1f} ms in all; "
          f"SQL statements on the call's lane: {sql}")


main()
