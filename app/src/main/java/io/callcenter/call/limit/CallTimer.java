package io.callcenter.call.limit;

import java.time.Duration;

/** Runs a task later (talk-time warnings and limits); a fake in unit tests runs them on demand. */
public interface CallTimer {

    void schedule(Duration delay, Runnable task);
}
