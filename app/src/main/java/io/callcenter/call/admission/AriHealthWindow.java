package io.callcenter.call.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * ARI requests, failures and time spent over the last {@code window}, from the running totals the ARI adapter's
 * meters keep. The totals only grow, so a window is the difference between the newest sample and the oldest one
 * still inside it (plus the one just before, so a quiet spell still has a baseline).
 */
final class AriHealthWindow {

    /** Running totals since start: requests, failed ones (no answer, 5xx), and the time they took. */
    record Totals(long requests, long errors, double millis) {
    }

    record Figures(long requests, long errors, Duration meanLatency) {
    }

    private record Sample(Instant at, Totals totals) {
    }

    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    AriHealthWindow(Duration window) {
        this.window = window;
    }

    synchronized Figures sample(Instant at, Totals totals) {
        samples.addLast(new Sample(at, totals));
        Instant start = at.minus(window);
        // Keep one sample at or before the window's start as the baseline.
        while (samples.size() > 2) {
            Sample second = samples.stream().skip(1).findFirst().orElseThrow();
            if (second.at().isAfter(start)) {
                break;
            }
            samples.removeFirst();
        }
        Totals first = samples.getFirst().totals();
        long requests = Math.max(0, totals.requests() - first.requests());
        long errors = Math.max(0, totals.errors() - first.errors());
        double millis = Math.max(0, totals.millis() - first.millis());
        return new Figures(requests, errors, requests == 0 ? Duration.ZERO : Duration.ofMillis(Math.round(millis / requests)));
    }
}
