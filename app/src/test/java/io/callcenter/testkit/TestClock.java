package io.callcenter.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it; or, {@link #running}, real time moved to a chosen moment, which
 * keeps going (so timeouts still fire) while the test decides the day and hour and may jump ahead.
 */
public final class TestClock extends Clock {

    private volatile Instant now;
    /** Null: standing still at {@code now}; else real time plus this. */
    private volatile Duration offset;

    public TestClock(Instant now) {
        this.now = now;
    }

    /** Real time, moved so that it is {@code startingAt} now. */
    public static TestClock running(Instant startingAt) {
        TestClock clock = new TestClock(startingAt);
        clock.offset = Duration.between(Instant.now(), startingAt);
        return clock;
    }

    public void advance(Duration by) {
        if (offset != null) {
            offset = offset.plus(by);
        } else {
            now = now.plus(by);
        }
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return offset == null ? now : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
