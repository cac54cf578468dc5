package io.callcenter.console;

import java.time.Instant;
import java.util.UUID;

/**
 * One queue on the wallboard: callers waiting now, since when the longest has waited (the page counts the seconds
 * itself), and today's figures by the report's formulas (README, "Reports"): over the callers who joined today,
 * short abandons (under {@link #SHORT_ABANDON_MS}) are counted apart and left out of the base; service level =
 * answered within the threshold (a wait equal to it counts) / (offered - short abandons); abandon rate = abandoned
 * / (offered - short abandons); ASA = mean wait of the answered. A ratio with an empty base is null, not zero.
 */
record QueueTile(UUID queueId, String name, int serviceLevelSeconds, int waiting, Instant longestWaitingSince,
                 int offered, int answered, int answeredWithin, int abandoned, int shortAbandons,
                 Double serviceLevel, Double abandonRate, Double asaSeconds) {

    static final long SHORT_ABANDON_MS = 5_000;

    /** A queue's day as counted from its log, before the ratios. */
    record Day(UUID queueId, String name, int serviceLevelSeconds, int offered, int answered, int answeredWithin,
               int abandoned, int shortAbandons, long answeredWaitMs) {
    }

    /** The callers in a queue now: how many, and when the one waiting longest joined (null: nobody). */
    record Waiting(int callers, Instant longestSince) {
        static final Waiting NONE = new Waiting(0, null);
    }

    static QueueTile of(Day day, Waiting now) {
        int base = day.offered() - day.shortAbandons();
        return new QueueTile(day.queueId(), day.name(), day.serviceLevelSeconds(), now.callers(), now.longestSince(),
                day.offered(), day.answered(), day.answeredWithin(), day.abandoned(), day.shortAbandons(),
                base > 0 ? (double) day.answeredWithin() / base : null,
                base > 0 ? (double) day.abandoned() / base : null,
                day.answered() > 0 ? day.answeredWaitMs() / 1000.0 / day.answered() : null);
    }
}
