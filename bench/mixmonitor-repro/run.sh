#!/usr/bin/env bash
# Reproduction, without the app, of MixMonitor losing what its channel hears when an ARI bridge changes technology
# (BENCHMARKS.md, issue 14, MixMonitor through AMI). Starts a throwaway Asterisk 22 (scripts/asterisk.sh, its own run
# directory) with three tone extensions, then MixMonitorBridgeSwitch.java: A (440 Hz) recorded by MixMonitor through
# AMI and bridged with B (700 Hz), then C (1100 Hz) joins and leaves. Run as root in a network namespace of its own:
#   unshare -n bash -c 'ip link set lo up; bash bench/mixmonitor-repro/run.sh pjsip channels'
# First argument: local (Local channels playing tones) or pjsip (three SIPp peers streaming PCMU tones); second: the
# consent before the third party joins, none, channels (played to A's and B's channels) or bridge (on the bridge);
# third: who leaves the three, C (the third) or B (the second, as the agent leaving a conference).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CALLCENTER_RUN_DIR=${REPRO_RUN_DIR:-/tmp/mixmonitor-repro}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$CALLCENTER_RUN_DIR/secrets/asterisk"
# Each party plays a 120 s tone (the packaged Asterisk has no Playtones): 8 kHz 16-bit files in the spool.
mkdir -p "$CALLCENTER_RUN_DIR/asterisk/spool/recording"
python3 - "$CALLCENTER_RUN_DIR/asterisk/spool/recording" <<'PY'
import math, struct, sys, wave
for hz in (440, 700, 1100):
    with wave.open(f"{sys.argv[1]}/beep-{hz}.wav", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / 8000))) for i in range(8000 * 120)))
PY
cat > "$CALLCENTER_RUN_DIR/secrets/asterisk/extensions-extra.conf" <<'CONF'
[repro-tones]
exten => _beep-X.,1,Answer()
 same => n,Playback(/var/spool/asterisk/recording/beep-${EXTEN:5})
 same => n,Hangup()
CONF
SIPP_PIDS=()
if [ "${1:-local}" = pjsip ]; then
  # Three SIP parties (SIPp answering and streaming a PCMU tone) on 127.0.0.21-23, endpoints tone440/700/1100.
  : > "$CALLCENTER_RUN_DIR/secrets/asterisk/pjsip-extra.conf"
  n=21
  for hz in 440 700 1100; do
    printf '[tone%s]\ntype = endpoint\ntransport = transport-udp\ncontext = repro-tones\ndisallow = all\nallow = %s\ndirect_media = no\naors = tone%s\n\n[tone%s]\ntype = aor\ncontact = sip:tone@127.0.0.%s:5060\n\n' \
      "$hz" "${REPRO_ALLOW:-ulaw}" "$hz" "$hz" "$n" >> "$CALLCENTER_RUN_DIR/secrets/asterisk/pjsip-extra.conf"
    dir=$CALLCENTER_RUN_DIR/sipp-$hz
    mkdir -p "$dir"
    python3 - "$dir/tone.wav" "$hz" <<'PY'
import math, struct, sys
def ulaw(sample):
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), 32635) + 132
    exponent = max(0, sample.bit_length() - 8)
    return ~(sign | (exponent << 4) | ((sample >> (exponent + 3)) & 0x0F)) & 0xFF
hz = int(sys.argv[2])
data = bytes(ulaw(int(8000 * math.sin(2 * math.pi * hz * n / 8000))) for n in range(8000))
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 7, 1, 8000, 8000, 1, 8))
    f.write(b"data" + struct.pack("<I", len(data)) + data)
PY
    (cd "$dir" && exec sipp -sf "$REPO/bench/mixmonitor-repro/tone-uas.xml" -i 127.0.0.$n -mi 127.0.0.$n -p 5060 \
      -m 1 -nostdin > sipp.log 2>&1) &
    SIPP_PIDS+=($!)
    n=$((n + 1))
  done
fi
bash "$REPO/scripts/asterisk.sh" start >/dev/null
trap 'bash "$REPO/scripts/asterisk.sh" stop >/dev/null 2>&1 || true; [ ${#SIPP_PIDS[@]} -eq 0 ] || kill "${SIPP_PIDS[@]}" 2>/dev/null || true' EXIT
"$JAVA" "$REPO/bench/mixmonitor-repro/MixMonitorBridgeSwitch.java" "$(cat "$CALLCENTER_RUN_DIR/secrets/ari-password")" \
  "$(cat "$CALLCENTER_RUN_DIR/secrets/ami-password")" "$CALLCENTER_RUN_DIR/asterisk/spool/recording" "${1:-local}" "${2:-none}" "${3:-C}"
