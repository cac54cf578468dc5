package io.callcenter.call;

import java.util.Set;
import java.util.UUID;

/**
 * Rows were appended to the queue log of these queues (published after the insert): screens that show queue
 * figures, such as the console's wallboard, refresh them on it rather than polling the log.
 */
public record QueueLogged(Set<UUID> queueIds) {
}
