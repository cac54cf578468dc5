package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;

/**
 * What a due agent's callback does now: it waits until its time, is offered to its agent (as a preview) once they
 * are available, and after {@link #MISS_AFTER} without being dialled it is missed: visible as such to the agent and
 * the managers, and the lead goes to the campaign's list, first, so the person is still called.
 */
final class CallbackDue {

    static final Duration MISS_AFTER = Duration.ofMinutes(30);

    enum Next { WAIT, OFFER, MISS }

    private CallbackDue() {
    }

    static Next next(Instant dueAt, boolean alreadyOffered, boolean agentAvailable, Instant now) {
        if (now.isBefore(dueAt)) {
            return Next.WAIT;
        }
        if (!now.isBefore(dueAt.plus(MISS_AFTER))) {
            return Next.MISS;
        }
        return agentAvailable && !alreadyOffered ? Next.OFFER : Next.WAIT;
    }
}
