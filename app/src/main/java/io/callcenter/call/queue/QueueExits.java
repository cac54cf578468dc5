package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a caller goes who leaves a queue without an agent: after max wait, or turned away at the door (the queue
 * full, nobody logged in). An announcement then hang-up, a number, an agent's extension, a voicemail box or another
 * queue (see {@link QueueOverflow}).
 */
final class QueueExits {

    private static final Logger log = LoggerFactory.getLogger(QueueExits.class);

    private final Parties parties;
    private final AgentDirectory agents;
    private final CallProperties properties;
    private final QueueStore store;
    /** Where an overflow to a voicemail box goes (the voicemail room), set once by the engine. */
    private Queues.VoicemailExit voicemail = (call, boxId, at) -> {
        throw new IllegalStateException("no voicemail room");
    };

    QueueExits(Parties parties, AgentDirectory agents, CallProperties properties, QueueStore store) {
        this.parties = parties;
        this.store = store;
        this.agents = agents;
        this.properties = properties;
    }

    void voicemailThrough(Queues.VoicemailExit exit) {
        this.voicemail = exit;
    }

    /** Sends a caller into another queue. */
    interface IntoQueue {
        void enter(Call call, UUID queueId, Instant at);
    }

    /** Where an exit to another queue goes (the queue room), set once by it. */
    private IntoQueue queueExit = (call, queueId, at) -> {
        throw new IllegalStateException("no queue room");
    };

    void queueThrough(IntoQueue exit) {
        this.queueExit = exit;
    }

    /** The caller never joins ({@code reason} full or no_agent): logged {@code refused}, then on to the queue's exit. */
    void turnAway(Call call, QueueSettings queue, String reason, Instant at) {
        QueueSettings.Overflow destination = "full".equals(reason)
                ? queue.entry().whenFull() : queue.entry().whenNoAgent();
        try {
            store.append(List.of(new QueueLog(queue.id(), call.id, at, QueueLog.Type.REFUSED, null, Duration.ZERO, null,
                    reason + ": " + destination)));
        } catch (RuntimeException e) {
            log.error("call {}: queue log not written ({} refused the caller)", call.id, queue.name(), e);
        }
        call.note(at, "queue " + queue.name() + " refused the caller", reason);
        send(call, null, destination, "queue_" + reason, at);
    }

    /** Out of the holding bridge (if the caller is in it) and on to {@code destination}. */
    void send(Call call, QueueSettings queue, QueueSettings.Overflow destination, String why, Instant at) {
        Leg caller = call.caller();
        if (!caller.live()) {
            return;
        }
        if (queue != null) {
            try {
                parties.commands().send(new CallCommand.RemoveFromBridge(queue.bridgeId(), caller.channelId));
            } catch (AsteriskException e) {
                log.debug("call {}: leaving {} failed: {}", call.id, queue.bridgeId(), e.getMessage());
            }
        }
        switch (destination.kind()) {
            case ANNOUNCEMENT -> parties.announce(call, destination.target(), HangupReason.NORMAL, why, at);
            case NUMBER -> {
                ringbackWhileDialling(call, caller);
                parties.ringNumber(call, destination.target(), call.fromNumber, call.fromNumber, at);
            }
            case AGENT -> {
                Optional<Agent> agent = agents.byExtension(destination.target());
                if (agent.isEmpty() || !agents.tryReserve(agent.get().id(), call.id)) {
                    parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at);
                    return;
                }
                call.reservedAgents.add(agent.get().id());
                ringbackWhileDialling(call, caller);
                parties.ringCallee(call, agent.get().sipEndpoint(), agent.get().extension(), agent.get().id(),
                        Parties.callerId(call.fromNumber, call.fromNumber), properties.agentRingTimeout(), at,
                        "overflow to agent " + agent.get().extension());
            }
            case VOICEMAIL -> voicemail.enter(call, UUID.fromString(destination.target()), at);
            case QUEUE -> queueExit.enter(call, UUID.fromString(destination.target()), at);
        }
    }

    /** The caller is answered: they hear ringing in-band until the overflow destination answers. */
    private void ringbackWhileDialling(Call call, Leg caller) {
        parties.commands().send(new CallCommand.Ring(caller.channelId));
        call.agentRingbackPlaying = true;
    }
}
