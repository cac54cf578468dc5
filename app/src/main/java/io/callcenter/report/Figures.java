package io.callcenter.report;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The reports' rows. Ratios and averages are worked out here from the counts and sums the database adds up. */
final class Figures {

    private Figures() {
    }

    /** Short abandons: a caller gone before this is not counted abandoned (misdial, changed mind), but apart. */
    static final int SHORT_ABANDON_SECONDS = 5;

    /**
     * Counts and sums of one interval (or the whole range), straight from the database.
     *
     * @param waitAnsweredSeconds sum of the waits of the answered calls (ASA's numerator)
     * @param talkSeconds         sum of the talk times of answered calls that ended
     * @param handled             answered calls that ended (AHT's denominator)
     */
    record Counts(long offered, long answered, long abandoned, long shortAbandoned, long answeredWithinThreshold,
                  double waitAnsweredSeconds, double talkSeconds, long handled, Double longestWaitSeconds) {
        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, null);

        Counts plus(Counts o) {
            Double longest = longestWaitSeconds == null ? o.longestWaitSeconds
                    : o.longestWaitSeconds == null ? longestWaitSeconds : Math.max(longestWaitSeconds, o.longestWaitSeconds);
            return new Counts(offered + o.offered, answered + o.answered, abandoned + o.abandoned,
                    shortAbandoned + o.shortAbandoned, answeredWithinThreshold + o.answeredWithinThreshold,
                    waitAnsweredSeconds + o.waitAnsweredSeconds, talkSeconds + o.talkSeconds, handled + o.handled, longest);
        }
    }

    /**
     * One row of the interval report. Service level = answered within the threshold / (offered - short abandons);
     * abandon rate = abandoned / (offered - short abandons); ASA = mean wait of answered calls; AHT = mean talk
     * time of answered calls that ended (wrap-up is shown per agent).
     */
    record IntervalRow(LocalDateTime start, long offered, long answered, long abandoned, long shortAbandoned,
                       Double serviceLevel, Double abandonRate, Double asaSeconds, Double ahtSeconds,
                       Double longestWaitSeconds) {

        static IntervalRow of(LocalDateTime start, Counts c) {
            long counted = c.offered() - c.shortAbandoned();
            return new IntervalRow(start, c.offered(), c.answered(), c.abandoned(), c.shortAbandoned(),
                    ratio(c.answeredWithinThreshold(), counted), ratio(c.abandoned(), counted),
                    mean(c.waitAnsweredSeconds(), c.answered()), mean(c.talkSeconds(), c.handled()),
                    c.longestWaitSeconds());
        }
    }

    record IntervalReport(UUID teamId, String teamName, UUID queueId, String source, String zone, String interval,
                          int serviceLevelSeconds, List<IntervalRow> rows, IntervalRow total) {
    }

    /**
     * One agent over the range. Logged-in time = every state but OFFLINE; AHT = mean talk time of their answered,
     * ended calls; average wrap-up = wrap-up time / calls handled.
     */
    record AgentRow(UUID agentId, String extension, String name, double loggedInSeconds, Map<String, Double> secondsByState,
                    long calls, Double ahtSeconds, Double avgWrapUpSeconds, Map<String, Long> dispositions) {
    }

    record AgentReport(UUID teamId, String teamName, String zone, List<AgentRow> agents) {
    }

    /**
     * One campaign over the range: dials, people (as the TSR counts them), machines, abandons (no agent within 2 s
     * of the greeting's end), connects; the abandon rate over the rolling 30 days to now against the 3 % limit;
     * connects per agent-hour = connects / the team's logged-in hours in the range.
     */
    record CampaignRow(UUID campaignId, String name, long dials, long humans, long machines, long abandons, long connects,
                       Double abandonRate, long rolling30Humans, long rolling30Abandons, Double rolling30AbandonRate,
                       Double connectsPerAgentHour) {
    }

    record CampaignReport(UUID teamId, String teamName, String zone, double agentHours, List<CampaignRow> campaigns) {
    }

    static Double ratio(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }

    static Double mean(double sum, long count) {
        return count <= 0 ? null : sum / count;
    }
}
