package io.callcenter.call.queue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where queues are configured and their log is kept ({@link QueueRepository}); a fake in unit tests. */
public interface QueueStore {

    /** The team's queue, if it has one (a team without one keeps the old "nobody available" message). */
    Optional<QueueSettings> forTeam(UUID teamId);

    Optional<QueueSettings> byId(UUID queueId);

    /** The queue and the moment a caller joined it, from the log (to take the caller over after an app restart). */
    Optional<Joined> joined(UUID callId);

    /** The caller's last join ({@code at}, into {@code queueId}) and their first of the call (their place). */
    record Joined(UUID queueId, java.time.Instant at, java.time.Instant firstAt) {
        public Joined(UUID queueId, java.time.Instant at) {
            this(queueId, at, at);
        }
    }

    /** A queue's member: skill level 1 (best) to 9, and whether they are logged into the queue now. */
    record Member(UUID agentId, int level, boolean loggedIn) {
    }

    /** The queue's members (all of them, logged in or not); empty: every agent of its team serves it. */
    List<Member> members(UUID queueId);

    /** Queue calls each agent answered since then (the fewest-calls strategy). */
    java.util.Map<UUID, Integer> answeredSince(java.time.Instant since);

    /** Appends to the queue log; never updates. */
    void append(List<QueueLog> rows);

    /** Whether the queue's callers may press 1 to be called back. */
    default boolean callbackEnabled(UUID queueId) {
        return false;
    }

    /** Records where a callback is (its row in {@code queue_callback}); {@code detail}: the refusal or failure. */
    default void saveCallback(QueueEntry entry, java.time.Instant at, UUID agentId, String detail) {
    }

    /** Callbacks still holding their place (an app restart puts them back in their queues). */
    default List<QueueEntry> openCallbacks() {
        return List.of();
    }

    /** Tells {@code listener} the id of each queue edited or deleted (after the change is committed). */
    default void onChange(java.util.function.Consumer<UUID> listener) {
    }

    QueueStore NONE = new QueueStore() {
        @Override
        public Optional<QueueSettings> forTeam(UUID teamId) {
            return Optional.empty();
        }

        @Override
        public Optional<QueueSettings> byId(UUID queueId) {
            return Optional.empty();
        }

        @Override
        public Optional<Joined> joined(UUID callId) {
            return Optional.empty();
        }

        @Override
        public List<Member> members(UUID queueId) {
            return List.of();
        }

        @Override
        public java.util.Map<UUID, Integer> answeredSince(java.time.Instant since) {
            return java.util.Map.of();
        }

        @Override
        public void append(List<QueueLog> rows) {
        }
    };
}
