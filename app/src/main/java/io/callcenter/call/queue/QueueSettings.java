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
 */
public record QueueSettings(UUID id, UUID teamId, String name, QueueStrategy strategy, Duration ringTimeout,
                            Duration maxWait, Duration announceEvery, Duration serviceLevel, String mohClass,
                            Overflow overflow, int priority, Duration wrapUp) {

    /** Where a caller goes once max wait is reached. */
    public record Overflow(Kind kind, String target) {
        public enum Kind {
            /** A sound (e.g. {@code sound:vm-nobodyavail}), then hang-up. */
            ANNOUNCEMENT,
            /** A number dialled through the trunk. */
            NUMBER,
            /** An agent's extension, rung whatever queue they serve. */
            AGENT,
            /** A voicemail box of the team (target: the box id): the caller leaves a message. */
            VOICEMAIL;

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
