"""What the benchmarks' Python scripts share: the app's REST API, the agents' SIPp logs, percentiles."""
import glob
import json
import urllib.error
import urllib.request


def http(base, method, path, body=None, token=None):
    """(status, parsed JSON body) of one request to the app; an error status with its body as text."""
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def invites(pattern, since):
    """(extension, epoch) of every INVITE logged at or after since by SIPp running bench/sipp/agent-uas.xml, whose
    log lines read 'INVITE <extension> <date> <time> <epoch> ...'."""
    found = []
    for path in glob.glob(pattern):
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 5 and parts[0] == "INVITE":
                    try:
                        at = float(parts[4])
                    except ValueError:
                        continue
                    if at >= since:
                        found.append((parts[1], at))
    return found


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def invites_by_caller(pattern, since):
    """caller's number (digits) -> (extension, first epoch) of the INVITEs logged at or after since by
    bench/sipp/agent-uas.xml, whose lines end with the caller's number from the From header."""
    found = {}
    for path in glob.glob(pattern):
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 7 and parts[0] == "INVITE":
                    try:
                        at = float(parts[4])
                    except ValueError:
                        continue
                    if at >= since and (parts[6] not in found or at < found[parts[6]][1]):
                        found[parts[6]] = (parts[1], at)
    return found
