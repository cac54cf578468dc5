package io.callcenter.call.queue;

import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A caller who leaves one queue for another (VICIdial's drop to another in-group, app_queue's continue to the next
 * queue): out of the first queue's holding bridge, its announcement stopped (its timers find a later stay and end),
 * into the second's with its music, QUEUED again. The caller keeps the place of their first join, so a caller who has
 * already waited is not sent to the back of the next line (VICIdial's in-group option; chosen for every queue here,
 * not a setting), while each queue logs its own stay: "overflowed" in the first, "joined" in the second with the wait
 * counted from there. The offer an agent sees still shows the wait since the first join.
 *
 * <p>The API refuses exits that lead a queue back to itself; {@link #MAX_HOPS} stops a loop all the same should
 * edits made at the same moment have built one.
 */
final class QueueOverflow {

    private static final Logger log = LoggerFactory.getLogger(QueueOverflow.class);
    static final int MAX_HOPS = 8;

    private final Parties parties;
    private final KnownQueues known;
    private final QueueExits exits;
    private final Queues queues;
    /** Queue exits followed one inside another on this lane (a full queue turning the caller into another). */
    private final ThreadLocal<Integer> hops = ThreadLocal.withInitial(() -> 0);

    QueueOverflow(Parties parties, KnownQueues known, QueueExits exits, Queues queues) {
        this.parties = parties;
        this.known = known;
        this.exits = exits;
        this.queues = queues;
    }

    /** Max wait in {@code from} is over ({@code left}: the caller's entry there, OVERFLOWED and logged). */
    void fromQueue(Call call, QueueSettings from, QueueEntry left, QueueSettings.Overflow destination, Instant at) {
        Leg caller = call.caller();
        if (!caller.live()) {
            return;
        }
        Optional<QueueSettings> to = known.byId(UUID.fromString(destination.target()))
                .filter(queue -> !queue.id().equals(left.queueId()));
        if (to.isEmpty() || hops.get() >= MAX_HOPS) {
            // Deleted since it was chosen, or a loop: the caller is not left waiting nowhere.
            exits.send(call, from, QueueSettings.Overflow.NOBODY_AVAILABLE, "queue_timeout", at);
            return;
        }
        // The first queue's announcement must not go on over the second's music.
        parties.stopCallerPrompt(call);
        try {
            parties.commands().send(new CallCommand.RemoveFromBridge(from.bridgeId(), caller.channelId));
        } catch (AsteriskException e) {
            log.debug("call {}: leaving {} failed: {}", call.id, from.bridgeId(), e.getMessage());
        }
        if (call.state() == CallState.RINGING) {
            // An agent's phone rang for the caller at max wait: the machine has hung it up.
            call.moveTo(CallState.QUEUED, at, "offer given up at max wait", null);
        }
        QueueSettings next = to.get();
        // Known before the door is checked: whether anyone is logged in is the dispatcher's to say.
        known.learn(next);
        followed(() -> {
            if (!queues.turnedAway(call, next, at)) {
                queues.stay(call, next, "overflowed to queue", position -> QueueMachine.overflowJoin(left, next.id(),
                        next.priority(), position, at), at);
            }
        });
    }

    /** A queue's door exit (full, nobody logged in) is another queue: the caller joins it. */
    void turnedInto(Call call, UUID queueId, Instant at) {
        Optional<QueueSettings> to = known.byId(queueId);
        if (to.isEmpty() || hops.get() >= MAX_HOPS) {
            exits.send(call, null, QueueSettings.Overflow.NOBODY_AVAILABLE, "queue_gone", at);
            return;
        }
        followed(() -> queues.join(call, to.get(), at));
    }

    private void followed(Runnable exit) {
        hops.set(hops.get() + 1);
        try {
            exit.run();
        } finally {
            hops.set(hops.get() - 1);
        }
    }
}
