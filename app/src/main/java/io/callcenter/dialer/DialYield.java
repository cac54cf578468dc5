package io.callcenter.dialer;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a campaign's dials bring, learned from nothing but successive snapshots of its open dials: the share of dials
 * that end with a person (or a machine result sent to agents) needing an agent, how long after the dial that verdict
 * comes, and, for a dial still unresolved after some seconds, the chance that it still brings one. Only the most
 * recent dials count, because the answer rate drifts through the day (lunch hours, evenings).
 */
final class DialYield {

    /**
     * A dial as the snapshot shows it.
     *
     * @param personAt when a person (or a machine result for agents) started needing an agent; null if not (yet)
     * @param resolved whether its outcome is known: such a person, a machine, or the call ended
     */
    record DialNow(UUID id, Instant placedAt, Instant personAt, boolean resolved) {
    }

    /** Dials remembered: at ten agents, about a quarter of an hour, the span over which the answer rate drifts. */
    static final int WINDOW = 400;
    static final int MIN_DIALS = 60;
    static final int MIN_PEOPLE = 5;

    private record Sample(double seconds, boolean person) {
    }

    private final Map<UUID, Instant> unresolved = new HashMap<>();
    /** Resolved dials already counted that the snapshots still show (a person connected, a machine's message). */
    private final Set<UUID> counted = new HashSet<>();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private double[] all = new double[0];
    private double[] people = new double[0];
    private int sinceSorted;

    void observe(Iterable<DialNow> dials, Instant now) {
        Set<UUID> present = new HashSet<>();
        for (DialNow d : dials) {
            present.add(d.id());
            if (!d.resolved()) {
                if (!counted.contains(d.id())) {
                    unresolved.putIfAbsent(d.id(), d.placedAt());
                }
            } else if (counted.add(d.id())) {
                // Resolved before any snapshot saw it unresolved (an invalid number) or since the last one.
                unresolved.remove(d.id());
                boolean person = d.personAt() != null;
                add(new Sample(HandleTimes.seconds(d.placedAt(), person ? d.personAt() : now), person));
            }
        }
        for (var it = unresolved.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!present.contains(entry.getKey())) {
                // Ended between two snapshots without anyone for an agent: no answer, busy, a machine hung up on.
                it.remove();
                counted.add(entry.getKey());
                add(new Sample(HandleTimes.seconds(entry.getValue(), now), false));
            }
        }
        counted.retainAll(present);
    }

    /**
     * Learns from a dial resolved before this pacer saw it (the warm start after a restart), oldest first like the live
     * snapshots: {@code seconds} from the dial to its verdict, and whether that verdict was someone for an agent.
     */
    void learn(double seconds, boolean person) {
        add(new Sample(Math.max(0, seconds), person));
    }

    boolean learnt() {
        return samples.size() >= MIN_DIALS && peopleCount() >= MIN_PEOPLE;
    }

    int dials() {
        return samples.size();
    }

    /** The share of recent dials that brought someone for an agent. */
    double perDial() {
        return samples.isEmpty() ? 0 : (double) peopleCount() / samples.size();
    }

    /** The chance that a dial unresolved after {@code age} seconds still brings someone for an agent. */
    double stillBrings(double age) {
        sort();
        int longer = all.length - HandleTimes.upperBound(all, age);
        if (longer == 0) {
            return 0;
        }
        return (double) (people.length - HandleTimes.upperBound(people, age)) / longer;
    }

    /** Seconds from a dial to its person's verdict, at the given quantile of recent people (0.5: the median). */
    double secondsToPerson(double quantile) {
        sort();
        if (people.length == 0) {
            return 15;
        }
        return people[(int) Math.min(people.length - 1, Math.floor(quantile * people.length))];
    }

    private int peopleCount() {
        sort();
        return people.length;
    }

    private void add(Sample sample) {
        samples.addLast(sample);
        if (samples.size() > WINDOW) {
            samples.removeFirst();
        }
        sinceSorted++;
    }

    private void sort() {
        if (sinceSorted == 0) {
            return;
        }
        all = samples.stream().mapToDouble(Sample::seconds).sorted().toArray();
        people = samples.stream().filter(Sample::person).mapToDouble(Sample::seconds).sorted().toArray();
        sinceSorted = 0;
    }
}
