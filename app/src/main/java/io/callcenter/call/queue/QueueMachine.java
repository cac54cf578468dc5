package io.callcenter.call.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A queued caller's state machine, pure: given the entry and what happened, the entry after it, the rows for the
 * queue log and what the call must do. An event the caller is already past (a max-wait timer after the answer, a
 * ring-out after the caller left) changes nothing and asks for nothing.
 */
public final class QueueMachine {

    /** What happened to a queued caller. */
    public sealed interface Event {
        /** The dispatcher chose agents (already reserved; several with ring-all) for this caller. */
        record Offer(List<UUID> agentIds) implements Event {
            public Offer {
                agentIds = List.copyOf(agentIds);
            }
        }

        /** The offered agent's phone did not answer, was busy or could not be dialled. */
        record RangOut(UUID agentId, String outcome) implements Event {
        }

        record Answered(UUID agentId) implements Event {
        }

        record CallerLeft() implements Event {
        }

        /**
         * The queue's max wait is over for this caller; {@code stay}: the {@code enteredAt} of the stay whose timer
         * this is (a timer of a queue the caller has overflowed out of finds a later stay and changes nothing).
         */
        record MaxWaitReached(QueueSettings.Overflow overflow, Instant stay) implements Event {
            public MaxWaitReached(QueueSettings.Overflow overflow) {
                this(overflow, null);
            }
        }

        /** The caller's channel is gone without a hangup of theirs (Asterisk restarted). */
        record Lost(String cause) implements Event {
        }

        /** Time for the periodic announcement; {@code position} counts from 1; {@code stay} as for max wait. */
        record AnnounceDue(int position, Instant stay) implements Event {
            public AnnounceDue(int position) {
                this(position, null);
            }
        }

        /** The caller pressed 1 to be called back; {@code enabled}: the queue offers callbacks. */
        record CallbackAsked(boolean enabled) implements Event {
        }

        /** The caller confirmed the number read back to them: they hang up and the callback keeps their place. */
        record CallbackConfirmed() implements Event {
        }

        /**
         * The agent rung for a callback answered; {@code refusal}: why the outbound guard will not let the caller's
         * number be dialled now (calling hours, do-not-call), null when it may be.
         */
        record AgentPickedUp(UUID agentId, String refusal) implements Event {
        }

        /** The caller answered the callback. */
        record CallerAnswered() implements Event {
        }

        /** The callback did not reach the caller (no answer, busy, failed) or the agent hung up before. */
        record CallerNotReached(String outcome) implements Event {
        }
    }

    /** What the call must do after a step. */
    public sealed interface Command {
        record RingAgent(UUID agentId) implements Command {
        }

        /** Stop ringing the offered agent (their phone) and free them for others. */
        record CancelOffer(UUID agentId) implements Command {
        }

        /** The offer is over without a connection: the agent is free for other callers. */
        record ReleaseAgent(UUID agentId) implements Command {
        }

        record AnnouncePosition(int position) implements Command {
        }

        /** Leave the holding bridge and go to the overflow destination (another queue: see {@link #overflowJoin}). */
        record Overflow(QueueSettings.Overflow destination) implements Command {
        }

        /** Something changed that may let a free agent take a waiting caller. */
        record Dispatch() implements Command {
        }

        /** Read the caller's number back and ask them to press 1 to confirm. */
        record ReadBackNumber(String number) implements Command {
        }

        /** The caller ID cannot be called back (not E.164): tell them so; they keep waiting. */
        record RefuseCallback() implements Command {
        }

        /** Tell the caller they will be called back, then hang up; their entry stays (persisted). */
        record ReleaseCaller() implements Command {
        }

        /** A callback's turn: ring the reserved agent's phone first. */
        record RingAgentForCallback(UUID agentId) implements Command {
        }

        /** The agent is on the line: dial the caller's number. */
        record DialCaller(String number) implements Command {
        }

        /** The callback is over without a conversation: hang up the agent's leg and free them. */
        record EndCallback(UUID agentId, String reason) implements Command {
        }
    }

    public record Step(QueueEntry entry, List<QueueLog> log, List<Command> commands) {
        public boolean ignored() {
            return log.isEmpty() && commands.isEmpty();
        }
    }

    private QueueMachine() {
    }

    /** A caller joins: WAITING, logged, and the dispatcher looks for a free agent. */
    public static Step join(UUID callId, UUID queueId, String callerNumber, int priority, int position, Instant at) {
        QueueEntry entry = QueueEntry.joined(callId, queueId, callerNumber, priority, at);
        return new Step(entry, List.of(log(entry, at, QueueLog.Type.JOINED, null, position, callerNumber)),
                List.of(new Command.Dispatch()));
    }

    /**
     * A new app instance takes over a caller who was waiting when the previous one stopped: WAITING again at the place
     * their original join gave them (the log's JOINED row stays their only join; the call's own events note the
     * takeover), and the dispatcher looks for a free agent.
     */
    public static Step resume(UUID callId, UUID queueId, String callerNumber, int priority, Instant joinedAt) {
        return resume(callId, queueId, callerNumber, priority, joinedAt, joinedAt);
    }

    /** As above for a caller who overflowed into this queue at {@code enteredAt} (their place: {@code joinedAt}). */
    public static Step resume(UUID callId, UUID queueId, String callerNumber, int priority, Instant joinedAt,
                              Instant enteredAt) {
        return new Step(new QueueEntry(callId, queueId, callerNumber, priority, joinedAt, enteredAt,
                QueueEntryState.WAITING, Set.of(), Set.of()), List.of(), List.of(new Command.Dispatch()));
    }

    /**
     * A caller who overflowed out of {@code left} (OVERFLOWED, its queue's rows already logged) joins {@code queueId}:
     * WAITING there with the place of their first join (priority is the new queue's), a new stay for the new queue's
     * own wait and max wait, logged JOINED with where they came from; the dispatcher looks for a free agent.
     */
    public static Step overflowJoin(QueueEntry left, UUID queueId, int priority, int position, Instant at) {
        if (left.state() != QueueEntryState.OVERFLOWED || left.queueId().equals(queueId)) {
            throw new IllegalStateException("queue entry " + left.callId() + ": " + left.state() + " in "
                    + left.queueId() + " cannot overflow into " + queueId);
        }
        QueueEntry entry = new QueueEntry(left.callId(), queueId, left.callerNumber(), priority, left.joinedAt(), at,
                QueueEntryState.WAITING, Set.of(), Set.of());
        return new Step(entry, List.of(log(entry, at, QueueLog.Type.JOINED, null, position,
                "overflow from queue " + left.queueId())), List.of(new Command.Dispatch()));
    }

    public static Step decide(QueueEntry entry, Event event, Instant at) {
        List<QueueLog> log = new ArrayList<>();
        List<Command> commands = new ArrayList<>();
        QueueEntryState state = entry.state();
        QueueEntry next = entry;
        switch (event) {
            case Event.Offer offer when state == QueueEntryState.WAITING -> {
                next = entry.with(QueueEntryState.OFFERED, Set.copyOf(offer.agentIds()), entry.rangOut());
                for (UUID agentId : offer.agentIds()) {
                    log.add(log(entry, at, QueueLog.Type.OFFERED, agentId, null, null));
                    commands.add(new Command.RingAgent(agentId));
                }
            }
            case Event.Offer offer when state == QueueEntryState.CALLBACK_WAITING -> {
                // One agent calls back: the others of a ring-all offer go back to the pool.
                UUID agentId = offer.agentIds().getFirst();
                next = entry.with(QueueEntryState.CALLBACK_OFFERED, Set.of(agentId), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.OFFERED, agentId, null, "callback"));
                commands.add(new Command.RingAgentForCallback(agentId));
                offer.agentIds().stream().skip(1).forEach(other -> commands.add(new Command.ReleaseAgent(other)));
            }
            case Event.Offer offer -> {
                // Taken meanwhile (left, connected, or offered to someone else): the agents go back to the pool.
                offer.agentIds().forEach(agentId -> commands.add(new Command.ReleaseAgent(agentId)));
                commands.add(new Command.Dispatch());
            }
            case Event.RangOut out when state == QueueEntryState.OFFERED && entry.offeredTo().contains(out.agentId()) -> {
                Set<UUID> rangOut = new HashSet<>(entry.rangOut());
                rangOut.add(out.agentId());
                Set<UUID> stillRinging = new HashSet<>(entry.offeredTo());
                stillRinging.remove(out.agentId());
                log.add(log(entry, at, QueueLog.Type.RANG_OUT, out.agentId(), null, out.outcome()));
                if (stillRinging.isEmpty()) {
                    next = entry.with(QueueEntryState.WAITING, Set.of(), rangOut);
                    commands.add(new Command.Dispatch());
                } else {
                    next = entry.with(QueueEntryState.OFFERED, stillRinging, rangOut);
                }
            }
            case Event.RangOut out when state == QueueEntryState.CALLBACK_OFFERED
                    && entry.offeredTo().contains(out.agentId()) -> {
                Set<UUID> rangOut = new HashSet<>(entry.rangOut());
                rangOut.add(out.agentId());
                next = entry.with(QueueEntryState.CALLBACK_WAITING, Set.of(), rangOut);
                log.add(log(entry, at, QueueLog.Type.RANG_OUT, out.agentId(), null, out.outcome()));
                commands.add(new Command.ReleaseAgent(out.agentId()));
                commands.add(new Command.Dispatch());
            }
            case Event.CallbackAsked asked when state.inQueue() && asked.enabled() -> {
                if (isE164(entry.callerNumber())) {
                    commands.add(new Command.ReadBackNumber(entry.callerNumber()));
                } else {
                    commands.add(new Command.RefuseCallback());
                }
            }
            case Event.CallbackConfirmed ignored when state.inQueue() && isE164(entry.callerNumber()) -> {
                next = entry.with(QueueEntryState.CALLBACK_WAITING, Set.of(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.CALLBACK_REQUESTED, entry.offeredAgent(), null,
                        entry.callerNumber()));
                cancelOffers(entry, null, commands);
                commands.add(new Command.ReleaseCaller());
                commands.add(new Command.Dispatch());
            }
            case Event.AgentPickedUp picked when state == QueueEntryState.CALLBACK_OFFERED
                    && entry.offeredTo().contains(picked.agentId()) -> {
                if (picked.refusal() != null) {
                    next = entry.with(QueueEntryState.CALLBACK_FAILED, Set.of(), entry.rangOut());
                    log.add(log(entry, at, QueueLog.Type.CALLBACK_FAILED, picked.agentId(), null, picked.refusal()));
                    commands.add(new Command.EndCallback(picked.agentId(), picked.refusal()));
                } else {
                    next = entry.with(QueueEntryState.CALLBACK_DIALLING, Set.of(picked.agentId()), entry.rangOut());
                    log.add(log(entry, at, QueueLog.Type.CALLBACK_PLACED, picked.agentId(), null, entry.callerNumber()));
                    commands.add(new Command.DialCaller(entry.callerNumber()));
                }
            }
            case Event.CallerAnswered ignored when state == QueueEntryState.CALLBACK_DIALLING -> {
                next = entry.with(QueueEntryState.CALLBACK_ANSWERED, entry.offeredTo(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.CALLBACK_ANSWERED, entry.offeredAgent(), null, null));
            }
            case Event.CallerNotReached missed when state == QueueEntryState.CALLBACK_DIALLING -> {
                next = entry.with(QueueEntryState.CALLBACK_FAILED, Set.of(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.CALLBACK_FAILED, entry.offeredAgent(), null, missed.outcome()));
                commands.add(new Command.EndCallback(entry.offeredAgent(), missed.outcome()));
            }
            case Event.Answered answered when state == QueueEntryState.OFFERED
                    && entry.offeredTo().contains(answered.agentId()) -> {
                next = entry.with(QueueEntryState.CONNECTED, Set.of(answered.agentId()), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.ANSWERED, answered.agentId(), null, null));
                cancelOffers(entry, answered.agentId(), commands);
            }
            case Event.CallerLeft ignored when state.inQueue() -> {
                next = entry.with(QueueEntryState.ABANDONED, Set.of(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.ABANDONED, entry.offeredAgent(), null,
                        state == QueueEntryState.OFFERED ? "while offered" : null));
                cancelOffers(entry, null, commands);
            }
            case Event.MaxWaitReached reached when state.inQueue() && ofStay(entry, reached.stay()) -> {
                next = entry.with(QueueEntryState.OVERFLOWED, Set.of(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.TIMED_OUT, entry.offeredAgent(), null, null));
                log.add(log(entry, at, QueueLog.Type.OVERFLOWED, null, null, reached.overflow().toString()));
                cancelOffers(entry, null, commands);
                commands.add(new Command.Overflow(reached.overflow()));
            }
            case Event.Lost lost when state.inQueue() -> {
                next = entry.with(QueueEntryState.LOST, Set.of(), entry.rangOut());
                log.add(log(entry, at, QueueLog.Type.LOST, entry.offeredAgent(), null, lost.cause()));
                cancelOffers(entry, null, commands);
            }
            case Event.AnnounceDue due when state.inQueue() && ofStay(entry, due.stay()) -> {
                log.add(log(entry, at, QueueLog.Type.ANNOUNCED, null, due.position(), null));
                commands.add(new Command.AnnouncePosition(due.position()));
            }
            default -> {
                // Already past it: nothing to do.
            }
        }
        if (next.state() != state && !state.canBecome(next.state())) {
            throw new IllegalStateException("queue entry " + entry.callId() + ": " + state + " -> " + next.state());
        }
        return new Step(next, List.copyOf(log), List.copyOf(commands));
    }

    /** A timer of this stay (or one that does not say which stay it is for). */
    private static boolean ofStay(QueueEntry entry, Instant stay) {
        return stay == null || stay.equals(entry.enteredAt());
    }

    /** Callbacks go out through the trunk, which takes E.164 only; anything else (anonymous, an extension) is refused. */
    static boolean isE164(String number) {
        return number != null && number.matches("\\+[1-9][0-9]{6,14}");
    }

    /** Every agent still rung for the caller stops ringing and is free again, but the one who answered. */
    private static void cancelOffers(QueueEntry entry, UUID answeredBy, List<Command> commands) {
        entry.offeredTo().stream().filter(agentId -> !agentId.equals(answeredBy)).sorted()
                .forEach(agentId -> commands.add(new Command.CancelOffer(agentId)));
    }

    private static QueueLog log(QueueEntry entry, Instant at, QueueLog.Type type, UUID agentId, Integer position,
                                String detail) {
        return new QueueLog(entry.queueId(), entry.callId(), at, type, agentId, entry.waitAt(at), position, detail);
    }
}
