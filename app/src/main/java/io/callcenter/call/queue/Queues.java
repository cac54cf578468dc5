package io.callcenter.call.queue;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.CallLane;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * The queue room: a caller joins the team's queue (answered, into the queue's holding bridge with music, QUEUED),
 * is offered to free agents by the {@link QueueDispatcher}, hears their place every few seconds, and leaves by an
 * answer, by hanging up or at max wait for the overflow destination. Runs on the caller's lane; each step is a
 * {@link QueueMachine} decision whose log rows are appended to {@code queue_event} and whose commands become
 * {@link CallCommand}s here.
 */
public final class Queues {

    private static final Logger log = LoggerFactory.getLogger(Queues.class);

    private final Parties parties;
    private final AgentDirectory agents;
    private final QueueStore store;
    private final Clock clock;
    private final CallTimer timer;
    private final CallLane lane;
    private final QueueBoard board = new QueueBoard();
    private final QueuePrompts prompts;
    private final QueueDispatcher dispatcher;
    private final KnownQueues known;
    private final QueueExits exits;
    private final QueueHoldingBridges holdingBridges;
    private final QueueOverflow overflow;
    private final QueueRinging ringing;
    private final CallbackKeys callbackKeys = new CallbackKeys();
    /** Places callbacks in their turn and vets their numbers; set once by the engine. */
    private CallbackCalls callbacks = new CallbackCalls() {
        @Override
        public void place(QueueEntry callback, UUID agentId) {
            throw new IllegalStateException("no callback dialler");
        }

        @Override
        public String refusal(QueueEntry callback, Instant at) {
            return "no callback dialler";
        }
    };

    public Queues(Parties parties, AgentDirectory agents, QueueStore store, CallProperties properties, Clock clock,
                  CallTimer timer, CallLane lane, Executor dispatchExecutor) {
        this.parties = parties;
        this.agents = agents;
        this.store = store;
        this.clock = clock;
        this.timer = timer;
        this.lane = lane;
        this.prompts = new QueuePrompts(parties);
        this.exits = new QueueExits(parties, agents, properties, store);
        this.holdingBridges = new QueueHoldingBridges(parties);
        this.ringing = new QueueRinging(parties, agents);
        this.dispatcher = new QueueDispatcher(board, agents, store, clock, dispatchExecutor, (callId, agentIds) -> {
            if (board.get(callId).filter(entry -> !entry.state().inQueue()).isPresent()) {
                offerCallback(callId, agentIds);
            } else {
                lane.run(callId, call -> offer(call, agentIds));
            }
        });
        this.known = new KnownQueues(store, dispatcher);
        this.overflow = new QueueOverflow(parties, known, exits, this);
        exits.queueThrough(overflow::turnedInto);
    }

    /** Sends a caller who overflowed to a voicemail box there. */
    public interface VoicemailExit {
        void enter(Call call, UUID boxId, Instant at);
    }

    public void overflowToVoicemail(VoicemailExit exit) {
        exits.voicemailThrough(exit);
    }

    /** A callback's call: the agent's phone first (the agent is reserved for the callback's entry), then the caller. */
    public interface CallbackCalls {
        /** Places the call that rings the reserved agent first; its {@code callbackOf} is the entry's call id. */
        void place(QueueEntry callback, UUID agentId);

        /** Why the caller's number may not be dialled now (the outbound guard, calling hours), or null. */
        String refusal(QueueEntry callback, Instant at);
    }

    public void dialCallbacksWith(CallbackCalls calls) {
        this.callbacks = calls;
    }

    public Optional<QueueSettings> queueOfTeam(UUID teamId) {
        return known.ofTeam(teamId);
    }

    /** A queue a DID's destination names. */
    public Optional<QueueSettings> queue(UUID queueId) {
        return known.byId(queueId);
    }

    /** Whether the call waits in a queue (or an agent rings for it from there). */
    public boolean holds(Call call) {
        return board.get(call.id).filter(entry -> entry.state().inQueue()).isPresent();
    }

    /** An agent may have become free: callers waiting get a look. Any thread. */
    public void agentMayBeFree() {
        dispatcher.request();
    }

    /** Asterisk restarted: holding bridges are gone and must be made again on the next join. */
    public void asteriskReconnected() {
        holdingBridges.forgetAll();
    }

    // ---------------------------------------------------------------- on the caller's lane

    public void join(Call call, QueueSettings queue, Instant at) {
        known.learn(queue);
        if (turnedAway(call, queue, at)) {
            return;
        }
        parties.answerCaller(call, at);
        if (call.queuedAt == null) {
            // Turned into this queue by another's exit: the wait the agent's offer shows goes on from the first.
            call.queuedAt = at;
        }
        stay(call, queue, "joined queue", position -> QueueMachine.join(call.id, queue.id(), call.fromNumber,
                queue.priority(), position, at), at);
    }

    /**
     * Into the queue's holding bridge (QUEUED) for a stay the machine begins ({@code step} given the caller's
     * position): a first join, or an overflow from another queue. The stay's timers are its own: one of an earlier
     * stay finds a later one and stops.
     */
    void stay(Call call, QueueSettings queue, String event, IntFunction<QueueMachine.Step> step, Instant at) {
        known.learn(queue);
        holdingBridges.enter(queue, call.caller().channelId);
        call.moveTo(CallState.QUEUED, at, event, queue.name());
        if (queue.wrapUp() != null) {
            call.wrapUp = queue.wrapUp();
        }
        call.queueName = queue.name();
        QueueMachine.Step begun = step.apply(board.size(queue.id()) + 1);
        apply(call, begun, at);
        startTimers(call.id, queue, begun.entry().enteredAt(), queue.maxWait());
    }

    /**
     * A full queue, or one nobody is logged into that says so, sends the caller on at once; they never join (logged
     * {@code refused} with the reason, so they count in no service level).
     */
    boolean turnedAway(Call call, QueueSettings queue, Instant at) {
        QueueSettings.Entry entry = queue.entry();
        String reason = entry.full(board.size(queue.id())) ? "full"
                : entry.refuseWithoutAgents() && !dispatcher.anyoneLoggedIn(queue) ? "no_agent" : null;
        if (reason != null) {
            exits.turnAway(call, queue, reason, at);
        }
        return reason != null;
    }

    /** The dispatcher reserved agents for this caller (several with ring-all). */
    void offer(Call call, List<UUID> agentIds) {
        board.unclaim(call.id);
        Optional<QueueEntry> entry = board.get(call.id);
        if (entry.isEmpty() || call.state() != CallState.QUEUED) {
            agentIds.forEach(agentId -> agents.release(agentId, call.id));
            dispatcher.request();
            return;
        }
        call.ringAll = agentIds.size() > 1;
        decide(call, entry.get(), new QueueMachine.Event.Offer(agentIds), clock.instant());
    }

    /** The offered agent's phone did not answer (or failed): the caller keeps their place and waits on. */
    public void rangOut(Call call, Leg leg, Instant at) {
        board.get(call.id).ifPresent(entry -> {
            if (call.state() == CallState.RINGING && call.ringingCallee().isEmpty()) {
                call.moveTo(CallState.QUEUED, at, "offer rang out", leg.endpoint + " " + Parties.outcomeOf(leg));
            }
            decide(call, entry, new QueueMachine.Event.RangOut(leg.agentId, Parties.outcomeOf(leg)), at);
        });
    }

    /** The offered agent answered and the caller is bridged with them (the call left the holding bridge). */
    public void connected(Call call, Instant at) {
        board.get(call.id).ifPresent(entry -> decide(call, entry, new QueueMachine.Event.Answered(call.agentId), at));
    }

    /**
     * A key from a waiting caller: 1 asks for a callback (the number is read back), 1 again confirms it. Other keys,
     * and keys from anyone else, are not the queue's.
     */
    public void keyPressed(Call call, Leg leg, String digit, Instant at) {
        Optional<QueueEntry> entry = board.get(call.id).filter(e -> e.state().inQueue());
        if (leg.role != Leg.Role.CALLER || entry.isEmpty() || !"1".equals(digit)) {
            return;
        }
        switch (callbackKeys.pressed(call.id, at)) {
            case CONFIRM -> decide(call, entry.get(), new QueueMachine.Event.CallbackConfirmed(), at);
            case ASK -> decide(call, entry.get(), new QueueMachine.Event.CallbackAsked(
                    known.callbackEnabled(entry.get().queueId())), at);
            case REPEAT -> {
            }
        }
    }

    // ---------------------------------------------------------------- callbacks (their own calls)

    /**
     * Callbacks still holding their place after an app restart go back on the board, in their place; one this app
     * already knows (Asterisk reconnected, the app did not restart) stays as it is.
     */
    public void restoreCallbacks() {
        for (QueueEntry callback : store.openCallbacks()) {
            store.byId(callback.queueId()).ifPresent(queue -> {
                known.learn(queue);
                board.putIfAbsent(callback);
            });
        }
        dispatcher.request();
    }

    /** The dispatcher reserved an agent for a callback: it rings them first (on the dispatcher's thread). */
    private synchronized void offerCallback(UUID callbackId, List<UUID> agentIds) {
        board.unclaim(callbackId);
        Optional<QueueEntry> entry = board.get(callbackId);
        if (entry.isEmpty() || entry.get().state() != QueueEntryState.CALLBACK_WAITING) {
            agentIds.forEach(agentId -> agents.release(agentId, callbackId));
            dispatcher.request();
            return;
        }
        Instant at = clock.instant();
        try {
            apply(null, QueueMachine.decide(entry.get(), new QueueMachine.Event.Offer(agentIds), at), at);
        } catch (RuntimeException e) {
            log.warn("callback {}: agent's phone not rung: {}", callbackId, e.getMessage());
            board.get(callbackId).ifPresent(offered -> offered.offeredTo().forEach(agentId ->
                    callbackDecide(null, callbackId, new QueueMachine.Event.RangOut(agentId, "not_placed"), at)));
        }
    }

    /**
     * The agent of a callback's call picked up: true if the caller's number is to be dialled now; false if the
     * guard refused it (the call is ended, the refusal logged).
     */
    public boolean callbackAgentAnswered(Call call, Instant at) {
        Optional<QueueEntry> entry = board.get(call.callbackOf);
        if (entry.isEmpty()) {
            parties.failCall(call, "callback_gone", HangupReason.NORMAL, at);
            return false;
        }
        String refusal = callbacks.refusal(entry.get(), at);
        QueueMachine.Step step = callbackDecide(call, call.callbackOf,
                new QueueMachine.Event.AgentPickedUp(call.agentId, refusal), at);
        return step != null && step.commands().stream().anyMatch(QueueMachine.Command.DialCaller.class::isInstance);
    }

    public void callbackCallerAnswered(Call call, Instant at) {
        callbackDecide(call, call.callbackOf, new QueueMachine.Event.CallerAnswered(), at);
    }

    public void callbackAgentNotReached(Call call, Instant at) {
        callbackDecide(call, call.callbackOf, new QueueMachine.Event.RangOut(call.agentId, "agent_phone_failed"), at);
    }

    public void callbackCallerNotReached(Call call, String outcome, Instant at) {
        callbackDecide(call, call.callbackOf, new QueueMachine.Event.CallerNotReached(outcome), at);
    }

    private synchronized QueueMachine.Step callbackDecide(Call call, UUID callbackId, QueueMachine.Event event,
                                                          Instant at) {
        Optional<QueueEntry> entry = board.get(callbackId);
        if (entry.isEmpty()) {
            return null;
        }
        QueueMachine.Step step = QueueMachine.decide(entry.get(), event, at);
        apply(call, step, at);
        return step;
    }

    /** A leg of the call is gone: the caller hanging up while queued abandons the queue. */
    public void legGone(Call call, Leg leg, Instant at) {
        if (call.callbackOf != null) {
            // The agent's phone of a callback: not answered puts the callback back in its place; hung up while the
            // caller's number rang, the callback failed.
            if (leg.role == Leg.Role.CALLER) {
                callbackDecide(call, call.callbackOf, leg.answeredAt == null
                        ? new QueueMachine.Event.RangOut(call.agentId, Parties.outcomeOf(leg))
                        : new QueueMachine.Event.CallerNotReached("agent_hung_up"), at);
            }
            return;
        }
        if (leg.role == Leg.Role.CALLER) {
            board.get(call.id).ifPresent(entry -> decide(call, entry, new QueueMachine.Event.CallerLeft(), at));
        } else if (leg.role == Leg.Role.CALLEE && leg.answeredAt == null && leg.agentId != null
                && call.state() == CallState.RINGING && call.ringingCallee().isPresent() && holds(call)) {
            // Ring-all: one of several phones gave up while others still ring (the last one is the engine's
            // calleeFailed): that agent is free again and counted as rang out.
            parties.releaseAgentOf(call, leg);
            rangOut(call, leg, at);
        }
    }

    /**
     * After the event stream came back (see {@code reconcile}): true if the call is a queued caller who goes on
     * waiting. Kept as it was after a reconnect of this app instance; taken over by a new app instance at the place its
     * original join gave it (the log says when and where it joined), its max wait and announcements counted on from
     * there, an offer that was ringing given up. Measured with ARI by hand (and in QueueRestartIT): while no app is
     * connected Asterisk keeps the caller in the holding bridge with its music and in our Stasis application (still
     * subscribed to it), and then runs the new instance's play and addChannel on it as before; only re-creating the
     * holding bridge is refused (409: it still exists). What once looked like "Asterisk ignores the new instance" was
     * the answer joining a bridge that did not exist ("Bridge not found": a restored call counts its own bridge as
     * made, see {@link #resume}), so the agent talked to silence. A caller whose channel is gone (Asterisk restarted)
     * is logged LOST with the cause (false: reconciliation closes the call).
     */
    public boolean reconnected(Call call, boolean restored, Instant now) {
        Leg caller = call.legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLER).findFirst().orElse(null);
        if (caller == null || call.state() != CallState.QUEUED && call.state() != CallState.RINGING) {
            return false;
        }
        Optional<QueueEntry> entry = restored ? known.restored(call.id, call.fromNumber) : board.get(call.id);
        if (entry.isEmpty()) {
            return false;
        }
        if (!caller.live()) {
            decide(call, entry.get(), new QueueMachine.Event.Lost(
                    caller.hangupCauseText == null ? "lost" : caller.hangupCauseText), now);
            return false;
        }
        if (restored) {
            resume(call, entry.get(), now);
            return true;
        }
        if (call.state() == CallState.RINGING && call.ringingCallee().isEmpty()) {
            call.moveTo(CallState.QUEUED, now, "offer lost while disconnected", null);
            for (UUID agentId : entry.get().offeredTo()) {
                decide(call, board.get(call.id).orElseThrow(), new QueueMachine.Event.RangOut(agentId, "lost"), now);
            }
        }
        return true;
    }

    /** A new app instance takes the waiting caller over: an offer that rang is given up, place, timers and music kept. */
    private void resume(Call call, QueueEntry entry, Instant now) {
        QueueSettings queue = known.get(entry.queueId());
        for (Leg leg : call.liveLegs()) {
            if (leg.role == Leg.Role.CALLEE) {
                parties.hangup(leg, HangupReason.NORMAL);
                parties.releaseAgentOf(call, leg);
            }
        }
        if (call.state() == CallState.RINGING) {
            call.moveTo(CallState.QUEUED, now, "offer given up after app restart", null);
        }
        // The database cannot say whether the call's own bridge was made (only the first offer makes it), and a
        // restored call counts it made: so the next offer would add the caller to a bridge that may not exist. Start
        // that bridge afresh (an empty one of an earlier offer goes; none is fine too).
        try {
            parties.commands().send(new CallCommand.DestroyBridge(call.bridgeId));
        } catch (AsteriskException e) {
            log.debug("call {}: no bridge of an earlier offer to remove: {}", call.id, e.getMessage());
        }
        call.bridgeCreated = false;
        // The holding bridge and its music lived on in Asterisk while no app ran.
        holdingBridges.survived(queue);
        call.queueName = queue.name();
        call.queuedAt = entry.joinedAt();
        if (queue.wrapUp() != null) {
            call.wrapUp = queue.wrapUp();
        }
        QueueMachine.Step resumed = QueueMachine.resume(call.id, queue.id(), call.fromNumber, queue.priority(),
                entry.joinedAt(), entry.enteredAt());
        apply(call, resumed, now);
        startTimers(call.id, queue, entry.enteredAt(), queue.maxWait().minus(entry.waitAt(now)));
    }

    /** The max wait and announcements of the stay begun at {@code stay}. */
    private void startTimers(UUID callId, QueueSettings queue, Instant stay, Duration maxWait) {
        timer.schedule(maxWait.isNegative() ? Duration.ZERO : maxWait,
                () -> lane.run(callId, call -> maxWaitReached(call, stay)));
        scheduleAnnouncement(callId, queue, stay);
    }

    private void maxWaitReached(Call call, Instant stay) {
        board.get(call.id).ifPresent(entry -> decide(call, entry,
                new QueueMachine.Event.MaxWaitReached(known.get(entry.queueId()).overflow(), stay), clock.instant()));
    }

    private void announce(Call call, Instant stay) {
        // Another stay's announcements (the caller overflowed since) end here: they are not rescheduled.
        board.get(call.id).filter(entry -> entry.enteredAt().equals(stay)).ifPresent(entry -> {
            decide(call, entry, new QueueMachine.Event.AnnounceDue(board.position(call.id), stay), clock.instant());
            scheduleAnnouncement(call.id, known.get(entry.queueId()), stay);
        });
    }

    private void scheduleAnnouncement(UUID callId, QueueSettings queue, Instant stay) {
        if (!queue.announceEvery().isZero()) {
            timer.schedule(queue.announceEvery(), () -> lane.run(callId, call -> announce(call, stay)));
        }
    }

    private void decide(Call call, QueueEntry entry, QueueMachine.Event event, Instant at) {
        apply(call, QueueMachine.decide(entry, event, at), at);
    }

    private void apply(Call call, QueueMachine.Step step, Instant at) {
        board.put(step.entry());
        boolean left = call != null && !step.entry().state().inQueue();
        if (left) {
            callbackKeys.forget(call.id);
        }
        if (step.entry().state().name().startsWith("CALLBACK_") && !step.log().isEmpty()) {
            store.saveCallback(step.entry(), at, step.log().getLast().agentId(), step.log().getLast().detail());
        }
        if (!step.log().isEmpty()) {
            try {
                store.append(step.log());
            } catch (RuntimeException e) {
                log.error("queue entry {}: queue log not written: {}", step.entry().callId(), step.log(), e);
            }
        }
        QueueSettings queue = known.get(step.entry().queueId());
        for (QueueMachine.Command command : step.commands()) {
            switch (command) {
                case QueueMachine.Command.RingAgent ring -> {
                    if (!ringing.ring(call, queue, ring.agentId(), at)) {
                        board.get(call.id).ifPresent(entry -> decide(call, entry,
                                new QueueMachine.Event.RangOut(ring.agentId(), "unknown agent"), at));
                    }
                }
                case QueueMachine.Command.CancelOffer cancel -> ringing.cancel(call, cancel.agentId());
                case QueueMachine.Command.ReleaseAgent release -> {
                    agents.release(release.agentId(), step.entry().callId());
                    if (call != null) {
                        call.reservedAgents.remove(release.agentId());
                    }
                }
                case QueueMachine.Command.AnnouncePosition announce -> prompts.position(call, announce.position(),
                        known.callbackEnabled(step.entry().queueId()));
                case QueueMachine.Command.Overflow out when out.destination().kind() == QueueSettings.Overflow.Kind.QUEUE ->
                        this.overflow.fromQueue(call, queue, step.entry(), out.destination(), at);
                case QueueMachine.Command.Overflow out -> exits.send(call, queue, out.destination(), "queue_timeout", at);
                case QueueMachine.Command.Dispatch ignored -> dispatcher.request();
                case QueueMachine.Command.ReadBackNumber readBack -> {
                    callbackKeys.readingBack(call.id, at);
                    prompts.readBack(call, readBack.number());
                }
                case QueueMachine.Command.RefuseCallback ignored -> prompts.toCaller(call, QueuePrompts.CALLBACK_REFUSED);
                case QueueMachine.Command.ReleaseCaller ignored -> prompts.releaseForCallback(call, at);
                case QueueMachine.Command.RingAgentForCallback ring -> callbacks.place(step.entry(), ring.agentId());
                // The callback's own call dials the caller (see callbackAgentAnswered).
                case QueueMachine.Command.DialCaller ignored -> {
                }
                case QueueMachine.Command.EndCallback end -> {
                    if (call != null && call.callbackOf != null) {
                        parties.failCall(call, end.reason(), HangupReason.NORMAL, at);
                    } else if (end.agentId() != null) {
                        agents.release(end.agentId(), step.entry().callId());
                    }
                }
            }
        }
        if (left) {
            prompts.forget(call.id);
        }
    }
}
