package io.callcenter.call.queue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where queues are configured and their log is kept ({@link QueueRepository}); a fake in unit tests. */
public interface QueueStore {

    /** The team's queue, if it has one (a team without one keeps the old "nobody available" message). */
    Optional<QueueSettings> forTeam(UUID teamId);

    Optional<QueueSettings> byId(UUID queueId);

    /** The queue and the moment a caller joined, from the log (to take the caller over after an app restart). */
    Optional<Joined> joined(UUID callId);

    record Joined(UUID queueId, java.time.Instant at) {
    }

    /** Appends to the queue log; never updates. */
    void append(List<QueueLog> rows);

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
        public void append(List<QueueLog> rows) {
        }
    };
}
