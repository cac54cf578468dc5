package io.callcenter.call.queue;

import java.time.Duration;
import java.util.UUID;

/**
 * A queue's configuration (table {@code call_queue}).
 *
 * @param announceEvery position announcements to each waiting caller this often; zero: none
 * @param serviceLevel  the threshold of the service level (answered within it)
 * @param priority      0-9: callers of a higher-priority queue go before those of other queues the same agents serve
 * @param wrapUp        the agent's wrap-up after a call of this queue; null: their team's
 * @param entry         who may join at all: the longest queue, and what happens with nobody logged in
 */
public record QueueSettings(UUID id, UUID teamId, String name, QueueStrategy strategy, Duration ringTimeout,
                            Duration maxWait, Duration announceEvery, Duration serviceLevel, String mohClass,
                            Overflow overflow, int priority, Duration wrapUp, Entry entry) {

    public QueueSettings(UUID id, UUID teamId, String name, QueueStrategy strategy, Duration ringTimeout,
                         Duration maxWait, Duration announceEvery, Duration serviceLevel, String mohClass,
                         Overflow overflow, int priority, Duration wrapUp) {
        this(id, teamId, name, strategy, ringTimeout, maxWait, announceEvery, serviceLevel, mohClass, overflow, priority,
                wrapUp, Entry.OPEN);
    }

    /**
     * Who joins (app_queue's maxlen and joinempty): beyond {@code maxLength} waiting callers (0: no limit) a new
     * caller goes to {@code whenFull}; with {@code refuseWithoutAgents} and no agent of the queue logged in, to
     * {@code whenNoAgent}. Refused callers never join, so they count in no service level.
     */
    public record Entry(int maxLength, Overflow whenFull, boolean refuseWithoutAgents, Overflow whenNoAgent) {
        public static final Entry OPEN = new Entry(0, Overflow.NOBODY_AVAILABLE, false, Overflow.NOBODY_AVAILABLE);

        public boolean full(int waiting) {
            return maxLength > 0 && waiting >= maxLength;
        }
    }

    /** Where a caller goes once max wait is reached. */
    public record Overflow(Kind kind, String target) {
        public static final Overflow NOBODY_AVAILABLE = new Overflow(Kind.ANNOUNCEMENT, "sound:vm-nobodyavail");

        public enum Kind {
            /** A sound (e.g. {@code sound:vm-nobodyavail}), then hang-up. */
            ANNOUNCEMENT,
            /** A number dialled through the trunk. */
            NUMBER,
            /** An agent's extension, rung whatever queue they serve. */
            AGENT,
            /** A voicemail box of the team (target: the box id): the caller leaves a message. */
            VOICEMAIL,
            /** Another queue of the team (target: the queue id): the caller waits on there, keeping their place. */
            QUEUE;

            public String dbValue() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        @Override
        public String toString() {
            return kind.dbValue() + " " + target;
        }
    }

    /** The queue's holding bridge: one per queue, kept for the app's life, so all its callers share one music stream. */
    public String bridgeId() {
        return "queue-" + id;
    }
}
