package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;

import java.time.Instant;
import java.util.UUID;

/** The phones of agents offered a queued caller: rung for the offer, hung up when the offer is over unanswered. */
final class QueueRinging {

    private final Parties parties;
    private final AgentDirectory agents;

    QueueRinging(Parties parties, AgentDirectory agents) {
        this.parties = parties;
        this.agents = agents;
    }

    /** Rings the reserved agent's phone; false (the agent freed) if there is no such agent any more. */
    boolean ring(Call call, QueueSettings queue, UUID agentId, Instant at) {
        Agent agent = agents.byId(agentId).orElse(null);
        if (agent == null) {
            agents.release(agentId, call.id);
            return false;
        }
        call.reservedAgents.add(agentId);
        parties.ringCallee(call, agent.sipEndpoint(), agent.extension(), agentId,
                Parties.callerId(call.fromNumber, call.fromNumber), queue.ringTimeout(), at,
                "offered by queue " + queue.name() + " to " + agent.extension());
        return true;
    }

    /** The caller went or overflowed while an agent's phone rang: stop it and free the agent (no wrap-up). */
    void cancel(Call call, UUID agentId) {
        call.legs.values().stream()
                .filter(leg -> leg.role == Leg.Role.CALLEE && agentId.equals(leg.agentId) && leg.live())
                .toList()
                .forEach(leg -> {
                    parties.hangup(leg, HangupReason.NORMAL);
                    parties.releaseAgentOf(call, leg);
                });
    }
}
