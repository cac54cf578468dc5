package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Telemarketing Sales Rule's verdict on one attempt (16 CFR 310.4(b)(4)(i)): a call answered by a person is
 * abandoned unless the person is connected to an agent (two-way audio) within 2 seconds of the end of their
 * greeting. Pure: the verdict follows from the attempt's timestamps alone, so it can be recomputed from the record.
 *
 * <p>Where the record cannot tell, the verdict errs against us: a call hung up during detection may have been a
 * person, so it is counted as answered by one, whose greeting ended at the earliest at the answer; a person's call
 * that ended without an agent counts even inside the 2 s, since the record does not say who hung up.
 */
final class AbandonRule {

    static final Duration CONNECT_WITHIN = Duration.ofSeconds(2);

    /**
     * @param live      answered by a person (the rate's base)
     * @param abandoned of those, not connected to an agent within 2 s of the greeting's end
     * @param deadline  greeting end + 2 s: the proof's yardstick (null when not live)
     * @param reason    why, in words, for the period report
     */
    record Verdict(boolean live, boolean abandoned, Instant deadline, String reason) {
        static final Verdict NOT_LIVE = new Verdict(false, false, null, null);
    }

    private AbandonRule() {
    }

    static Verdict of(Attempt a) {
        if (a.answeredAt() == null) {
            return Verdict.NOT_LIVE;
        }
        Attempt.Tsr tsr = a.tsr();
        if (tsr.detectionError()) {
            Instant greetingEnd = tsr.greetingEndedAt() != null ? tsr.greetingEndedAt() : a.answeredAt();
            return new Verdict(true, true, greetingEnd.plus(CONNECT_WITHIN),
                    "a person classified as a machine by detection");
        }
        if (a.humanAt() != null) {
            Instant greetingEnd = tsr.greetingEndedAt() != null ? tsr.greetingEndedAt() : a.humanAt();
            Instant deadline = greetingEnd.plus(CONNECT_WITHIN);
            if (a.connectedAt() != null) {
                return a.connectedAt().isAfter(deadline)
                        ? new Verdict(true, true, deadline, "agent connected " + late(a.connectedAt(), greetingEnd) + " after the greeting")
                        : new Verdict(true, false, deadline, null);
            }
            if (a.endedAt() == null) {
                // Still waiting or being transferred: decided when it connects or ends.
                return new Verdict(true, false, deadline, null);
            }
            // Ended without an agent: we cannot tell the person's own hang-up within the 2 s from ours after the
            // safe-harbor message, so it counts.
            return new Verdict(true, true, deadline, a.endedAt().isAfter(deadline)
                    ? "no agent connected within 2 s of the greeting" : "ended within 2 s of the greeting without an agent");
        }
        if (a.amdResult() == null && a.endedAt() != null) {
            // Hung up while detection listened: perhaps a person who heard nothing after saying hello.
            Instant deadline = a.answeredAt().plus(CONNECT_WITHIN);
            return a.endedAt().isAfter(deadline)
                    ? new Verdict(true, true, deadline, "hung up during detection, more than 2 s after the answer")
                    : new Verdict(true, false, deadline, "hung up during detection within 2 s of the answer");
        }
        return Verdict.NOT_LIVE;
    }

    /**
     * An agent, a reviewer or a later event (a key pressed during a machine's message) showed that detection's
     * "machine" was a person: by the rule's definition that person was abandoned, and the record says so.
     */
    static AttemptMachine.Step detectionError(Attempt attempt, String why, Instant now) {
        if (attempt.tsr().detectionError() || attempt.answeredAt() == null) {
            return new AttemptMachine.Step(attempt, List.of(new AttemptMachine.Transition(attempt.state(), attempt.state(),
                    "detection error", "ignored: " + (attempt.answeredAt() == null ? "never answered" : "already recorded"),
                    now)), List.of());
        }
        return new AttemptMachine.Step(markedDetectionError(attempt), List.of(new AttemptMachine.Transition(attempt.state(),
                attempt.state(), "detection error", why, now)), List.of());
    }

    /** The attempt with its detection error recorded; the greeting ended at the latest when detection decided. */
    static Attempt markedDetectionError(Attempt attempt) {
        Instant greetingEnd = attempt.tsr().greetingEndedAt() != null ? attempt.tsr().greetingEndedAt() : attempt.answeredAt();
        return attempt.change(d -> d.tsr = new Attempt.Tsr(d.tsr.greetingSilenceMillis(), greetingEnd, true));
    }

    private static String late(Instant connected, Instant greetingEnd) {
        return String.format(java.util.Locale.ROOT, "%.1f s", Duration.between(greetingEnd, connected).toMillis() / 1000.0);
    }
}
