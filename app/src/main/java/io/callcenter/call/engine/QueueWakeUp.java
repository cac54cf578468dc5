package io.callcenter.call.engine;

import io.callcenter.agent.AgentPresence;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** An agent becoming AVAILABLE (after a call, wrap-up, break or registering) is the moment a queued caller can go. */
@Component
class QueueWakeUp {

    private final CallEngine engine;

    QueueWakeUp(CallEngine engine) {
        this.engine = engine;
    }

    @EventListener
    void on(AgentPresence.StateChanged changed) {
        if (changed.state() == AgentPresence.State.AVAILABLE) {
            engine.agentMayBeFree();
        }
    }
}
