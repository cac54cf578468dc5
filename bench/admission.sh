# Admission phase of bench/call-setup.sh (BENCH_PHASES=admission, `make bench-admission`); sourced once the rig is
# up with the app started at a call limit (BENCH_ADMISSION_LIMIT, callcenter.admission.max-calls-per-node).
# One step above the limit: LIMIT + EXCESS calls from the stand-in carrier at CAP_RATE a second, each held
# BENCH_ADMISSION_HOLD s with a tone echoed by the agent's phone, the team recording every call. What it must show:
# the first LIMIT calls connected, every one of them recorded, and the EXCESS refused with 503 at the carrier (not
# connected unrecorded). Figures are ratios against the limit set in the same run; a step that did not measure what
# it claims (agents not rung for connected calls, the app or Asterisk dead, nothing refused nor connected) prints
# INVALID and no figures.
ADM_EXCESS=${BENCH_ADMISSION_EXCESS:-20}
ADM_HOLD=${BENCH_ADMISSION_HOLD:-30}
ADM_RATE=${BENCH_ADMISSION_RATE:-20}
ADM_OUT=$SIPP/admission
mkdir -p "$ADM_OUT"
ASTERISK_PID=$(cat "$RUN/asterisk/control/asterisk.pid")
rig_tone_wav "$SIPP/tone.wav"
calls=$((ADMISSION_LIMIT + ADM_EXCESS))
[ "$calls" -le "$AGENTS" ] || { echo "bench: $calls calls need as many agents (BENCH_AGENTS=$AGENTS)" >&2; exit 1; }
recordings_of_hold() {  # files holding at least half a call (16-bit, 8 kHz: 16 kB a second)
  find "$RUN/asterisk/spool/recording" -name '*.wav' -size +$((ADM_HOLD * 8))k | wc -l
}
sql() { PGPASSWORD=$DB_PASSWORD psql -qtA -h 127.0.0.1 -p "$DB_PORT" -U callcenter callcenter -c "$1"; }
# Warm the JVM with a few short calls under the limit, then let them end.
(cd "$SIPP" && timeout 60 sipp -sf "$REPO/bench/sipp/carrier-talk.xml" -inf "$SIPP/ari.csv" -i 127.0.0.2 -mi 127.0.0.2 \
  -p 5060 -r 5 -m 10 -l 10 -d 2000 -nostdin 127.0.0.1:5060 > "$ADM_OUT/warm.log" 2>&1) || true
sleep 5
before_rung=$(rung); before_files=$(recordings_of_hold)
before_calls=$(sql "select count(*) from call")
cap_rules 127.0.0.2
out=$ADM_OUT/step
uptime > "$out.load-start"
echo "bench: admission, limit $ADMISSION_LIMIT, $calls calls offered at once ($ADM_RATE cps, ${ADM_HOLD} s hold)" >&2
rc=0
(cd "$SIPP" && timeout $((calls / ADM_RATE + ADM_HOLD + 90)) sipp -sf "$REPO/bench/sipp/carrier-talk.xml" -inf "$SIPP/ari.csv" \
  -i 127.0.0.2 -mi 127.0.0.2 -p 5060 -r "$ADM_RATE" -m "$calls" -l "$calls" -d $((ADM_HOLD * 1000)) -nostdin \
  -timeout_error -recv_timeout 30000 -trace_err -error_file "$out.errors" 127.0.0.1:5060 > "$out.log" 2>&1) || rc=$?
uptime > "$out.load-end"
sleep 3   # recordings are closed at hang-up
alive=1
kill -0 "$APP_PID" 2>/dev/null && rig_app_up || alive=0
kill -0 "$ASTERISK_PID" 2>/dev/null || alive=0
successful=$(grep -oE 'Successful call +\| +[0-9]+ +\| +[0-9]+' "$out.log" | tail -1 | awk '{print $NF}')
failed=$(grep -oE 'Failed call +\| +[0-9]+ +\| +[0-9]+' "$out.log" | tail -1 | awk '{print $NF}')
# Calls the carrier saw refused with 503: distinct Call-IDs of 503 answers in SIPp's error trace.
refused_503=$(python3 - "$out.errors" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read() if __import__("os").path.exists(sys.argv[1]) else ""
# SIPp aborts a call on the 503 its scenario does not expect and logs the whole answer, Call-ID included.
ids = set(re.findall(r"received 'SIP/2\.0 503 [^']*?^Call-ID:\s*(\S+)", text, re.S | re.M))
print(len(ids))
PY
)
app_refused=$(sql "select count(*) from call where hangup_cause = 'over_capacity'")
app_calls=$(( $(sql "select count(*) from call") - before_calls ))
rung_now=$(( $(rung) - before_rung ))
recorded=$(( $(recordings_of_hold) - before_files ))
read -r sent received agent_in agent_echo <<< "$(cap_counters)"
expected_refused=$ADM_EXCESS
echo "admission: limit $ADMISSION_LIMIT, offered $calls: connected ${successful:-0}, refused with 503 at the carrier $refused_503 (the app: $app_refused over_capacity of $app_calls calls), other failures $(( ${failed:-0} - refused_503 )), agents rung $rung_now, recordings of the hold $recorded; RTP carrier sent $sent, received $received; sipp rc $rc; load $(cat "$out.load-start" | sed 's/.*load average: //') -> $(cat "$out.load-end" | sed 's/.*load average: //')" | tee "$ADM_OUT/summary" >&2
verdict=clean
if [ "$alive" != 1 ]; then verdict="INVALID:the-app-or-asterisk-died"
elif [ "${successful:-0}" -eq 0 ]; then verdict="INVALID:no-call-connected"
elif [ "$rung_now" -lt "${successful:-0}" ]; then verdict="INVALID:only-$rung_now-agents-rang-for-$successful-connected-calls"
elif [ "$refused_503" -eq 0 ]; then verdict="INVALID:nothing-refused-above-the-limit"
elif [ "$refused_503" -ne "$app_refused" ]; then verdict="INVALID:the-carrier-saw-$refused_503-refusals-the-app-$app_refused"
elif [ "$recorded" -lt "$successful" ] || [ "$successful" -gt "$ADMISSION_LIMIT" ] || [ "$refused_503" -ne "$expected_refused" ] \
     || [ $(( failed - refused_503 )) -ne 0 ]; then verdict=unclean
fi
if [[ $verdict == INVALID* ]]; then
  echo "bench: INVALID RUN: $verdict (no figures)" >&2
  exit 1
fi
python3 - "$ADMISSION_LIMIT" "$calls" "$successful" "$refused_503" "$recorded" "$sent" "$received" "$verdict" <<'PY'
import sys
limit, offered, connected, refused, recorded, sent, received = map(int, sys.argv[1:8])
print(f"admission  connected/limit {connected / limit:.2f}   refused/excess {refused / (offered - limit):.2f}   "
      f"recorded/connected {recorded / connected:.2f}   RTP at carrier {100.0 * received / max(1, sent):.1f}%   "
      f"verdict {sys.argv[8]}")
PY
