package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;

/**
 * The rule's successive 30-day periods of a campaign, anchored at its first switch-on: period 1 is the first 30 days,
 * period 2 the next, and so on. The rolling "last 30 days" is reported beside them but does not replace them.
 */
final class CompliancePeriods {

    static final Duration LENGTH = Duration.ofDays(30);

    record Period(int number, Instant start, Instant end) {
    }

    private CompliancePeriods() {
    }

    /** The period holding {@code at}; an instant before the anchor belongs to period 1. */
    static Period containing(Instant anchor, Instant at) {
        long index = at.isBefore(anchor) ? 0 : Duration.between(anchor, at).toSeconds() / LENGTH.toSeconds();
        return number(anchor, (int) index + 1);
    }

    static Period number(Instant anchor, int number) {
        if (number < 1) {
            throw new IllegalArgumentException("periods are numbered from 1");
        }
        Instant start = anchor.plus(LENGTH.multipliedBy(number - 1L));
        return new Period(number, start, start.plus(LENGTH));
    }
}
