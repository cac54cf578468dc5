package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A team's talk and wrap-up times, learned from nothing but successive snapshots of its agents' states (on a call
 * since, wrapping up since, free), and the chance that a busy agent is free within a horizon given how long the call
 * or the wrap-up has lasted: of the handles seen that lasted longer than that, the share that ended within the
 * horizon. Talk ends are nearly memoryless, so an agent early in a call counts for little; wrap-ups are short and
 * regular, so an agent late in one counts for nearly one.
 */
final class HandleTimes {

    enum Busy { FREE, ON_CALL, WRAP_UP, AWAY }

    /** One agent as the snapshot shows it: its state and since when. */
    record AgentNow(UUID id, Busy state, Instant since) {
    }

    /** Handles remembered: about a day of a ten-agent team's calls, so the distribution follows the team. */
    static final int SAMPLES = 600;
    static final int MIN_SAMPLES = 20;

    private record Handle(double talk, double wrap) {
    }

    private static final class Seen {
        Busy state;
        Instant since;
        double talk = Double.NaN;
    }

    private final Map<UUID, Seen> seen = new HashMap<>();
    private final Deque<Handle> samples = new ArrayDeque<>();
    private Handle[] byTalk = new Handle[0];
    private double[] talks = new double[0];
    private double[] wraps = new double[0];
    private boolean stale;

    /** Learns from the change since the last snapshot: a call that went to wrap-up, a wrap-up that went free. */
    void observe(Iterable<AgentNow> agents, Instant now) {
        Map<UUID, AgentNow> current = new HashMap<>();
        agents.forEach(a -> current.put(a.id(), a));
        seen.keySet().removeIf(id -> !current.containsKey(id));
        current.values().forEach(this::step);
    }

    /**
     * Learns from a team's past: each agent's state changes, oldest first, as successive snapshots would have shown
     * them (the warm start after a restart). What the last of them showed is forgotten: the live snapshots start from
     * what the agents do now, and a state the log saw begin is no proof of when the live one began.
     */
    void replay(Iterable<AgentNow> changes) {
        changes.forEach(this::step);
        seen.clear();
    }

    private void step(AgentNow a) {
        Seen before = seen.computeIfAbsent(a.id(), id -> new Seen());
        if (before.state == a.state() && a.since().equals(before.since)) {
            return;
        }
        if (before.state == Busy.ON_CALL && a.state() == Busy.WRAP_UP) {
            before.talk = seconds(before.since, a.since());
        } else if (before.state == Busy.ON_CALL && a.state() == Busy.FREE) {
            add(new Handle(seconds(before.since, a.since()), 0));
        } else if (before.state == Busy.WRAP_UP && a.state() == Busy.FREE && !Double.isNaN(before.talk)) {
            add(new Handle(before.talk, seconds(before.since, a.since())));
        }
        if (a.state() != Busy.WRAP_UP) {
            before.talk = Double.NaN;
        }
        before.state = a.state();
        before.since = a.since();
    }

    int samples() {
        return samples.size();
    }

    boolean learnt() {
        return samples.size() >= MIN_SAMPLES;
    }

    /** The chance that an agent on a call or wrapping up for {@code elapsed} seconds is free within {@code horizon}. */
    double freeWithin(Busy state, double elapsed, double horizon) {
        sort();
        if (state == Busy.WRAP_UP) {
            return endsWithin(wraps, elapsed, horizon);
        }
        if (state != Busy.ON_CALL) {
            return state == Busy.FREE ? 1 : 0;
        }
        int longer = talks.length - upperBound(talks, elapsed);
        if (longer == 0) {
            return 0;
        }
        // Only calls that ended within the horizon can have ended their wrap-up within it too.
        int ended = 0;
        for (int i = upperBound(talks, elapsed); i < talks.length && talks[i] <= elapsed + horizon; i++) {
            if (byTalk[i].talk() + byTalk[i].wrap() <= elapsed + horizon) {
                ended++;
            }
        }
        return (double) ended / longer;
    }

    /** Of the sorted durations longer than {@code elapsed}, the share that ended by {@code elapsed + horizon}. */
    static double endsWithin(double[] sorted, double elapsed, double horizon) {
        int longer = sorted.length - upperBound(sorted, elapsed);
        if (longer == 0) {
            return 0;
        }
        int stillLonger = sorted.length - upperBound(sorted, elapsed + horizon);
        return (double) (longer - stillLonger) / longer;
    }

    static int upperBound(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == value) {
            i++;
        }
        return i;
    }

    static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    private void add(Handle handle) {
        samples.addLast(handle);
        if (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
        stale = true;
    }

    private void sort() {
        if (!stale) {
            return;
        }
        byTalk = samples.toArray(Handle[]::new);
        Arrays.sort(byTalk, Comparator.comparingDouble(Handle::talk));
        talks = Arrays.stream(byTalk).mapToDouble(Handle::talk).toArray();
        wraps = samples.stream().mapToDouble(Handle::wrap).sorted().toArray();
        stale = false;
    }
}
