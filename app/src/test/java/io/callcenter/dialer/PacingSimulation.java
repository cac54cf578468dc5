package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A call center over many working days in one-second steps, without any real call, paced by the dialer's own
 * {@link PacingController} (the code {@code DialerEngine} runs) with a fake clock, and judged by {@link AbandonRule}.
 *
 * <p>Common random numbers: every factor (answer-rate drift, who answers, ringing, people or machines, greetings,
 * detection errors, hang-ups, patience, talk, wrap-up, connection time, breaks) has its own seeded stream per day,
 * and the n-th dial of a day draws the same values from each in every mode. So every mode faces the same day: the
 * same leads in the same order, the same breaks, the same drift.
 */
final class PacingSimulation {

    /**
     * @param answerLow        the share of dials answered by anyone drifts every 15 minutes between these two
     * @param falseMachine     share of people that detection calls machines
     * @param assumedAmdError  what the campaign declares as that share (the guard's detection-error budget)
     * @param detectionHangup  share of people who hang up while detection still listens
     * @param connectBase      transfer to two-way audio: this plus an exponential with mean {@code connectMean}
     */
    record Scenario(String name, int agents, int days, int hoursPerDay, double meanWrapUp, double answerLow,
                    double answerHigh, double humanShare, double falseMachine, double assumedAmdError, double busy,
                    double invalid, double detectionHangup, double meanPatience, double connectBase, double connectMean,
                    boolean breaks) {
    }

    /** The rule applied to what really happened (truth) and to what the record shows, per day. */
    record Result(String mode, boolean guarded, long dials, long live, long abandoned, double[] dayRates,
                  double worstRolling, double[] periodRates, double worstRecordedPeriod, double idleFraction,
                  double connectsPerAgentHour, double finalRatio) {

        double meanRate() {
            return live == 0 ? 0 : (double) abandoned / live;
        }

        double worstPeriod() {
            return Arrays.stream(periodRates).max().orElse(0);
        }

        double dayPercentile(double p) {
            double[] sorted = dayRates.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }
    }

    static final Instant START = Instant.parse("2026-01-05T14:00:00Z");
    private static final double SILENCE = 0.8;
    private static final double RING_TIMEOUT = 25;
    private static final int FACTORS = 12;
    private static final int DRIFT = 0, ANSWER = 1, RING = 2, HUMAN = 3, GREETING = 4, AMD = 5, HANGUP = 6,
            PATIENCE = 7, TALK = 8, WRAP = 9, CONNECT = 10, BREAKS = 11;

    private final long seed;
    private final Scenario s;

    PacingSimulation(long seed, Scenario scenario) {
        this.seed = seed;
        this.s = scenario;
    }

    private enum Phase { RINGING, DETECTING, WAITING }

    private static final class Call {
        Phase phase = Phase.RINGING;
        double dialAt, ringEnd, answerAt = Double.NaN, verdictAt, greetingEnd, hangupAt = Double.NaN, patienceEnd;
        boolean answers, person, falseMachine, toAgent;
        UUID id;
        double talk, wrap, latency;
    }

    /** A guarded mode runs the production controller; an unguarded one keeps the preset (the dialer before issue 10). */
    Result run(DialMode mode, boolean guarded) {
        Campaign campaign = campaign(mode);
        PacingController controller = new PacingController(Duration.ofSeconds(15));
        long[] live = new long[s.days()], abandoned = new long[s.days()], recLive = new long[s.days()],
                recAbandoned = new long[s.days()];
        long dials = 0, connects = 0;
        double idleSeconds = 0, staffedSeconds = 0;
        long ids = 0;
        int seconds = s.hoursPerDay() * 3600;
        for (int day = 0; day < s.days(); day++) {
            java.util.Random[] streams = new java.util.Random[FACTORS];
            for (int f = 0; f < FACTORS; f++) {
                streams[f] = new java.util.Random(seed * 1_000_003L + day * 131L + f * 7_919L);
            }
            double[] drift = new double[seconds / 900 + 1];
            double[] meanTalk = new double[drift.length];
            for (int i = 0; i < drift.length; i++) {
                drift[i] = s.answerLow() + streams[DRIFT].nextDouble() * (s.answerHigh() - s.answerLow());
                meanTalk[i] = 60 + streams[DRIFT].nextDouble() * 120;
            }
            double[][] breaks = breaks(streams[BREAKS], seconds);
            double[] freeAt = new double[s.agents()];
            // When each agent's call and wrap-up began: what the agents' states show the engine (ON_CALL, WRAP_UP since).
            double[] callFrom = new double[s.agents()];
            double[] wrapFrom = new double[s.agents()];
            Instant dayStart = START.plus(Duration.ofDays(day));
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < seconds; t++) {
                Instant now = dayStart.plusSeconds(t);
                List<Call> gone = new ArrayList<>();
                for (Iterator<Call> it = calls.iterator(); it.hasNext(); ) {
                    Call c = it.next();
                    Attempt done = step(c, t, freeAt, callFrom, wrapFrom, breaks, meanTalk[t / 900], campaign, dayStart, ++ids);
                    if (done == null) {
                        ids--;
                        continue;
                    }
                    it.remove();
                    // Ended within this second: the engine's open attempts show a connected person for a while, and
                    // the attempts it placed that ended (an invalid number can end before a snapshot saw it ring).
                    gone.add(c);
                    if (!Double.isNaN(c.answerAt) && c.person) {
                        live[day]++;
                        if (truthAbandoned(c, done)) {
                            abandoned[day]++;
                        }
                    }
                    if (done.connectedAt() != null && c.person) {
                        connects++;
                    }
                    AbandonRule.Verdict recorded = AbandonRule.of(done);
                    if (recorded.live()) {
                        recLive[day]++;
                        if (recorded.abandoned()) {
                            recAbandoned[day]++;
                        }
                    }
                }
                int available = 0, working = 0;
                for (int a = 0; a < freeAt.length; a++) {
                    boolean onBreak = onBreak(breaks[a], t);
                    if (freeAt[a] <= t && !onBreak) {
                        available++;
                    }
                    if (!onBreak || freeAt[a] > t) {
                        working++;
                    }
                }
                idleSeconds += available;
                staffedSeconds += working;
                int waiting = 0, inFlight = 0;
                for (Call c : calls) {
                    if (c.phase == Phase.WAITING) {
                        waiting++;
                    } else {
                        inFlight++;
                    }
                }
                int toStart;
                if (guarded) {
                    PacingController.Plan plan = controller.plan(campaign, working,
                            team(mode, t, dayStart, freeAt, callFrom, wrapFrom, breaks, available, waiting, inFlight,
                                    calls, gone), counts(day, recLive, recAbandoned), now);
                    if (plan.changed()) {
                        campaign = withPacing(campaign, plan.ratio(), plan.note());
                    }
                    toStart = plan.dialsToStart();
                } else {
                    toStart = Pacer.dialsToStart(mode.fixedRatio(), Math.max(0, available - waiting), inFlight);
                }
                for (int i = 0; i < toStart; i++) {
                    Call c = dial(streams, t, drift[t / 900], campaign);
                    c.id = new UUID(4, dials);
                    calls.add(c);
                    dials++;
                }
            }
        }
        return result(mode, guarded, dials, live, abandoned, recLive, recAbandoned, idleSeconds, staffedSeconds,
                connects, campaign.ratio());
    }

    /** Advances one call to second {@code t}; the finished attempt as the dialer would record it, or null. */
    private Attempt step(Call c, int t, double[] freeAt, double[] callFrom, double[] wrapFrom, double[][] breaks, double meanTalk, Campaign campaign,
                         Instant dayStart, long id) {
        if (c.phase == Phase.RINGING) {
            if (t < c.ringEnd) {
                return null;
            }
            if (!c.answers) {
                return attempt(c, dayStart, id).change(d -> d.endedAt = at(dayStart, c.ringEnd));
            }
            c.answerAt = c.ringEnd;
            c.phase = Phase.DETECTING;
        }
        if (c.phase == Phase.DETECTING) {
            if (!Double.isNaN(c.hangupAt) && c.hangupAt < c.verdictAt && t >= c.hangupAt) {
                return attempt(c, dayStart, id).change(d -> d.endedAt = at(dayStart, c.hangupAt));
            }
            if (t < c.verdictAt) {
                return null;
            }
            boolean machineResult = !c.person || c.falseMachine;
            if (machineResult && !campaign.machinesToAgents()) {
                return attempt(c, dayStart, id).change(d -> d.amdResult = "machine").change(d -> d.endedAt = at(dayStart, c.verdictAt));
            }
            c.toAgent = true;
            c.phase = Phase.WAITING;
        }
        double deadline = c.greetingEnd + AbandonRule.CONNECT_WITHIN.toSeconds();
        int agent = -1;
        for (int a = 0; a < freeAt.length; a++) {
            // The longest idle first, as the engine takes them.
            if (freeAt[a] <= t && !onBreak(breaks[a], t) && (agent < 0 || freeAt[a] < freeAt[agent])) {
                agent = a;
            }
        }
        if (agent >= 0) {
            double reserved = Math.max(c.verdictAt, freeAt[agent]);
            if (reserved < deadline && reserved <= c.patienceEnd) {
                double connected = reserved + c.latency;
                double talk = c.person ? Math.max(10, -meanTalk * Math.log(1 - c.talk)) : 8;
                freeAt[agent] = connected + talk + c.wrap;
                callFrom[agent] = reserved;
                wrapFrom[agent] = connected + talk;
                return human(c, dayStart, id).change(d -> { d.callId = new UUID(0, id); d.connectedAt = at(dayStart, connected); })
                        .change(d -> d.endedAt = at(dayStart, connected + talk));
            }
        }
        if (c.patienceEnd < deadline && t >= c.patienceEnd) {
            return human(c, dayStart, id).change(d -> d.endedAt = at(dayStart, c.patienceEnd));
        }
        if (t >= deadline) {
            // The safe-harbor message plays; the person hangs up a few seconds later.
            return human(c, dayStart, id).change(d -> d.endedAt = at(dayStart, deadline + 8));
        }
        return null;
    }

    /**
     * What predictive mode reads besides the counts, as the engine reads it: every agent's state and since when, and
     * the campaign's open dials (a person connected within this second included, as the engine's open attempts show).
     */
    private static PredictivePacer.Team team(DialMode mode, int t, Instant dayStart, double[] freeAt, double[] callFrom,
                                             double[] wrapFrom, double[][] breaks, int available, int waiting,
                                             int inFlight, List<Call> calls, List<Call> gone) {
        if (mode != DialMode.PREDICTIVE) {
            return PredictivePacer.Team.counting(available, waiting, inFlight);
        }
        List<HandleTimes.AgentNow> agents = new ArrayList<>(freeAt.length);
        for (int a = 0; a < freeAt.length; a++) {
            UUID id = new UUID(3, a);
            if (t == 0 || freeAt[a] <= t && onBreak(breaks[a], t)) {
                // Logging in at the start of the day, or on a break.
                agents.add(new HandleTimes.AgentNow(id, HandleTimes.Busy.AWAY, dayStart));
            } else if (freeAt[a] <= t) {
                agents.add(new HandleTimes.AgentNow(id, HandleTimes.Busy.FREE, at(dayStart, freeAt[a])));
            } else if (t < wrapFrom[a]) {
                agents.add(new HandleTimes.AgentNow(id, HandleTimes.Busy.ON_CALL, at(dayStart, callFrom[a])));
            } else {
                agents.add(new HandleTimes.AgentNow(id, HandleTimes.Busy.WRAP_UP, at(dayStart, wrapFrom[a])));
            }
        }
        List<DialYield.DialNow> dials = new ArrayList<>(calls.size() + gone.size());
        for (Call c : calls) {
            boolean waitingForAgent = c.phase == Phase.WAITING;
            dials.add(new DialYield.DialNow(c.id, at(dayStart, c.dialAt), waitingForAgent ? at(dayStart, c.verdictAt) : null,
                    waitingForAgent));
        }
        for (Call c : gone) {
            dials.add(new DialYield.DialNow(c.id, at(dayStart, c.dialAt), c.toAgent ? at(dayStart, c.verdictAt) : null,
                    true));
        }
        return new PredictivePacer.Team(available, waiting, inFlight, agents, dials);
    }

    private static boolean truthAbandoned(Call c, Attempt recorded) {
        if (recorded.connectedAt() != null) {
            return AbandonRule.of(recorded).abandoned();
        }
        if (recorded.humanAt() == null && recorded.amdResult() == null) {
            // Hung up during detection: abandoned if that was over 2 s after the real end of the greeting.
            return c.hangupAt > c.greetingEnd + AbandonRule.CONNECT_WITHIN.toSeconds();
        }
        if (!c.toAgent) {
            return true;
        }
        if (c.patienceEnd < c.greetingEnd + AbandonRule.CONNECT_WITHIN.toSeconds()) {
            // The person hung up inside the 2 s: not abandoned by the rule, though the record (which cannot tell who
            // hung up) counts it.
            return false;
        }
        return AbandonRule.of(recorded).abandoned();
    }

    private Call dial(java.util.Random[] r, int t, double answerRate, Campaign campaign) {
        Call c = new Call();
        c.dialAt = t;
        // Every stream is drawn the same number of times per dial, so the n-th lead is the same in every mode.
        double status = r[ANSWER].nextDouble(), answer = r[ANSWER].nextDouble();
        double ring = r[RING].nextDouble();
        c.person = r[HUMAN].nextDouble() < s.humanShare();
        double greeting = r[GREETING].nextDouble();
        c.falseMachine = c.person && r[AMD].nextDouble() < s.falseMachine();
        double hangup = r[HANGUP].nextDouble(), hangupAfter = r[HANGUP].nextDouble();
        c.patienceEnd = -s.meanPatience() * Math.log(1 - r[PATIENCE].nextDouble());
        c.talk = r[TALK].nextDouble();
        c.wrap = s.meanWrapUp() * (0.5 + r[WRAP].nextDouble());
        c.latency = s.connectBase() - s.connectMean() * Math.log(1 - r[CONNECT].nextDouble());
        if (status < s.busy() + s.invalid()) {
            c.answers = false;
            c.ringEnd = t + (status < s.busy() ? 3 : 1);
            return c;
        }
        c.answers = answer < answerRate;
        c.ringEnd = c.answers ? t + 4 + ring * 16 : t + RING_TIMEOUT;
        double answerAt = c.ringEnd;
        if (c.person) {
            c.greetingEnd = answerAt + 0.6 + greeting * 2.4;
            c.verdictAt = c.greetingEnd + SILENCE;
            if (hangup < s.detectionHangup()) {
                c.hangupAt = answerAt + 1 + hangupAfter * 3;
            }
        } else {
            c.verdictAt = answerAt + 2 + greeting * 2;
            c.greetingEnd = c.verdictAt - SILENCE;
        }
        c.patienceEnd += c.verdictAt;
        return c;
    }

    private Attempt attempt(Call c, Instant dayStart, long id) {
        Attempt a = Attempt.dialling(new UUID(0, id), null, null, "+12125550100", at(dayStart, c.dialAt))
                .change(d -> d.tsr = new Attempt.Tsr((int) (SILENCE * 1000), null, false));
        return Double.isNaN(c.answerAt) ? a : a.change(d -> d.answeredAt = at(dayStart, c.answerAt));
    }

    private Attempt human(Call c, Instant dayStart, long id) {
        return attempt(c, dayStart, id).change(d -> d.amdResult = c.person && !c.falseMachine ? "human" : "machine")
                .change(d -> d.humanAt = at(dayStart, c.verdictAt)).change(d -> d.tsr = d.tsr.greetingEndedBefore(at(dayStart, c.verdictAt)));
    }

    private static Instant at(Instant dayStart, double second) {
        return dayStart.plusNanos((long) (second * 1e9));
    }

    /** Two 15-minute breaks and a 30-minute lunch per agent, at times drawn per day. */
    private double[][] breaks(java.util.Random r, int seconds) {
        double[][] all = new double[s.agents()][];
        for (int a = 0; a < s.agents(); a++) {
            double first = seconds * (0.15 + r.nextDouble() * 0.15), lunch = seconds * (0.45 + r.nextDouble() * 0.1),
                    second = seconds * (0.7 + r.nextDouble() * 0.15);
            all[a] = s.breaks() ? new double[]{first, first + 900, lunch, lunch + 1800, second, second + 900} : new double[0];
        }
        return all;
    }

    private static boolean onBreak(double[] breaks, int t) {
        for (int i = 0; i < breaks.length; i += 2) {
            if (t >= breaks[i] && t < breaks[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** What the dialer's record shows for the current anchored period and the rolling 30 days. */
    private static PacingController.Counts counts(int day, long[] recLive, long[] recAbandoned) {
        int periodStart = day / 30 * 30;
        long pl = 0, pa = 0, rl = 0, ra = 0;
        for (int d = Math.max(0, day - 29); d <= day; d++) {
            rl += recLive[d];
            ra += recAbandoned[d];
            if (d >= periodStart) {
                pl += recLive[d];
                pa += recAbandoned[d];
            }
        }
        return new PacingController.Counts(pl, pa, rl, ra);
    }

    private Result result(DialMode mode, boolean guarded, long dials, long[] live, long[] abandoned, long[] recLive,
                          long[] recAbandoned, double idle, double staffed, long connects, double finalRatio) {
        double[] dayRates = new double[s.days()];
        double worstRolling = 0, worstRecorded = 0;
        int periods = (s.days() + 29) / 30;
        double[] periodRates = new double[periods];
        long totalLive = 0, totalAbandoned = 0;
        for (int d = 0; d < s.days(); d++) {
            dayRates[d] = live[d] == 0 ? 0 : (double) abandoned[d] / live[d];
            totalLive += live[d];
            totalAbandoned += abandoned[d];
            long rl = 0, ra = 0;
            for (int back = Math.max(0, d - 29); back <= d; back++) {
                rl += live[back];
                ra += abandoned[back];
            }
            worstRolling = Math.max(worstRolling, rl == 0 ? 0 : (double) ra / rl);
        }
        for (int p = 0; p < periods; p++) {
            long pl = 0, pa = 0, rl = 0, ra = 0;
            for (int d = p * 30; d < Math.min(s.days(), p * 30 + 30); d++) {
                pl += live[d];
                pa += abandoned[d];
                rl += recLive[d];
                ra += recAbandoned[d];
            }
            periodRates[p] = pl == 0 ? 0 : (double) pa / pl;
            worstRecorded = Math.max(worstRecorded, rl == 0 ? 0 : (double) ra / rl);
        }
        double agentHours = staffed / 3600;
        return new Result(mode.code(), guarded, dials, totalLive, totalAbandoned, dayRates, worstRolling, periodRates,
                worstRecorded, staffed == 0 ? 0 : idle / staffed, agentHours == 0 ? 0 : connects / agentHours, finalRatio);
    }

    private Campaign campaign(DialMode mode) {
        double ratio = mode.steered() ? 1.5 : mode.fixedRatio();
        return new Campaign(new UUID(1, 1), s.name(), new UUID(2, 2), "+15550100", mode, ratio, 0.03,
                CallingHours.DEFAULT, RetryRules.DEFAULT, Campaign.VoicemailPolicy.HANGUP, null, "premium",
                "Psychology, 555 0100", true, "on", false, "agents", START,
                new Campaign.Compliance(START, s.assumedAmdError(), null));
    }

    /** What {@code CampaignRepository.setPacing} stores, for the next second's decision. */
    private static Campaign withPacing(Campaign c, double ratio, String note) {
        return new Campaign(c.id(), c.name(), c.teamId(), c.callerIdNumber(), c.dialMode(), ratio, c.targetAbandonRate(),
                c.callingHours(), c.retry(), c.voicemailPolicy(), c.voicemailMessage(), c.amdMode(), c.safeHarborMessage(),
                c.enabled(), c.enabledReason(), c.paused(), c.pausedReason(), c.createdAt(),
                c.compliance().withPacingNote(note));
    }
}
